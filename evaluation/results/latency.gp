set title 'Search latency vs clients (1,002,202 files indexed, loopback)'
set xlabel 'concurrent clients'
set ylabel 'latency, ms'
set logscale y
set logscale x 2
set key top left
set grid
set output 'latency.png'
plot 'latency.dat' index 0 using 1:2 with linespoints lw 2 title 'p2p search p50', \
     'latency.dat' index 0 using 1:3 with linespoints lw 2 title 'p2p search p99', \
     'latency.dat' index 1 using 1:2 with linespoints dt 2 lw 2 title 'redis GET p50', \
     'latency.dat' index 1 using 1:3 with linespoints dt 2 lw 2 title 'redis GET p99'

set title 'Download throughput vs concurrency (verified, loopback)'
set xlabel 'concurrent downloads'
set ylabel 'MB/s (10^6 bytes)'
set logscale y
set logscale x 2
set offsets graph 0.05, graph 0.05, 0, 0
set key below
set grid
set output 'throughput.png'
plot 'throughput.dat' index 0 using 2:3 with linespoints lw 2 pt 7 ps 1.5 title 'p2p kb files', \
     'throughput.dat' index 1 using 2:3 with linespoints lw 2 pt 7 ps 1.5 title 'p2p mb files', \
     'throughput.dat' index 2 using 2:3 with linespoints lw 2 pt 7 ps 1.5 title 'p2p gb files', \
     1550.0 with lines dt 2 lw 2 title 'rsync daemon → rsync (1 file)', \
     1060.6 with lines dt 2 lw 2 title 'nginx (sendfile) → curl (1 file)', \
     4382.0 with lines dt 2 lw 2 title 'iperf3 ceiling (1 file)'

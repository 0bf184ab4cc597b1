#!/usr/bin/env bash
# Puts a run's summary.md into a page between its "<!-- results:begin -->" and
# "<!-- results:end -->" lines, replacing what was there: the page's results table is always
# the last `make bench`'s, never retyped.
set -euo pipefail
summary=$1
page=$2
grep -q '^<!-- results:begin -->$' "$page" && grep -q '^<!-- results:end -->$' "$page" || {
    echo "$page has no <!-- results:begin --> / <!-- results:end --> lines" >&2
    exit 1
}
awk -v summary="$summary" '
    /^<!-- results:begin -->$/ { print; while ((getline line < summary) > 0) print line; skipping = 1; next }
    /^<!-- results:end -->$/ { skipping = 0 }
    !skipping { print }
' "$page" > "$page.new"
mv "$page.new" "$page"

#!/usr/bin/env bash
# Checks the man pages in man/ against the programs and the shipped configuration:
#
#   1. `mandoc -T lint` reports nothing for any page.
#   2. Options and subcommands, page against `--help` (p2p-indexd.8, p2p-peerd.8, p2pctl.1):
#      - every option that `--help` of the program shows has an item (the tag of a .TP
#        paragraph) in the page's OPTIONS section;
#      - every option named anywhere in the OPTIONS section appears in some `--help` of the
#        program (no phantom flags);
#      - p2pctl.1 has, under COMMANDS, one subsection (.SS) per subcommand that
#        `p2pctl --help` lists, named by its first word, and no others; each option of
#        `p2pctl help SUBCOMMAND` has an item in OPTIONS or in that subsection, and every option
#        named in the subsection is in that subcommand's help.
#   3. Keys, p2p.conf.5 against the shipped etc/p2p files (which a unit test ties to the code):
#      the keys documented under INDEX.CONF and PEER.CONF are exactly the `#Key=` lines of
#      index.conf and of peer.conf / peers/*.conf.example, section by section; each key's
#      paragraph says "Default: VALUE" with the shipped value ("Default: empty" for an empty
#      one) and names its environment variable, P2P_SECTION_KEY.
#
# The programs are the debug build (`swift build --show-bin-path`), built first (incremental);
# set BIN_DIR to use executables from elsewhere without building. Prints each problem and
# exits 1 if there is any.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
man_dir="$here/man"
etc_dir="$here/etc/p2p"
SWIFT=${SWIFT:-swift}
# Word-split on purpose: extra flags for swift build, as the Makefile passes them.
read -r -a build_flags <<<"${SWIFT_BUILD_FLAGS:-}"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

if ! command -v mandoc >/dev/null; then
    echo "check-man: mandoc is missing (scripts/install-build-deps.sh installs it)" >&2
    exit 1
fi

# --- 1. lint -------------------------------------------------------------------------------------
pages=()
for page in "$man_dir"/*.[1-8]; do
    [ -e "$page" ] && pages+=("$page")
done
[ ${#pages[@]} -gt 0 ] || {
    echo "check-man: no pages in $man_dir" >&2
    exit 1
}
for page in "${pages[@]}"; do
    name=$(basename "$page")
    if output=$(mandoc -T lint "$page" 2>&1) && [ -z "$output" ]; then
        echo "lint: $name: clean"
    else
        fail "mandoc -T lint $name:"
        printf '%s\n' "$output" >&2
    fi
done

# The page as text: wide lines (one paragraph per line), no overstrike. Sections start in
# column 0, subsections in column 3, text in column 7 or more.
render() {
    mandoc -T utf8 -O width=500 "$1" | sed 's/.\x08//g'
}

# Options (-x, --long-name) named in the text on stdin, one per line, sorted, unique.
options_in() {
    grep -oE -- '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[^-]*//' | sort -u || true
}

# Options that the text on stdin documents as items: the leading options of a tag line of a
# tagged paragraph ("       --peer ID", "       -h, --help"), one per line, sorted, unique.
tagged_options() {
    awk '/^       -/ { line = substr($0, 8)
            while (match(line, /^--?[A-Za-z][A-Za-z0-9-]*/)) {
                print substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
                if (!sub(/^, /, "", line)) break
            } }' | sort -u
}

# The lines of section SECTION (exact header text) of rendered page text on stdin.
section_text() {
    awk -v want="$1" '
        /^[A-Z][A-Z0-9 .-]*$/ { inside = ($0 == want); next }
        inside { print }'
}

# "NAME<TAB>text" for each subsection of section SECTION of rendered text on stdin: its first
# word, and its header and body with lines separated by \037 (see subsection_text).
subsections() {
    awk -v want="$1" '
        function flush() { if (name != "") print name "\t" text; name = ""; text = "" }
        /^[A-Z][A-Z0-9 .-]*$/ { flush(); inside = ($0 == want); next }
        !inside { next }
        /^   [^ ]/ { flush(); line = $0; sub(/^ +/, "", line); split(line, words, " ")
                    name = words[1]; text = line; next }
        name != "" { text = text "\037" $0 }
        END { flush() }'
}

# The options in the option rows of an ArgumentParser help text on stdin ("  -h, --help   ...").
help_options() {
    awk '/^  -/ { line = $0; sub(/^ +/, "", line); sub(/  .*/, "", line); print line }' | options_in
}

# The subcommands listed under SUBCOMMANDS: in an ArgumentParser help text on stdin.
help_subcommands() {
    awk '/^[A-Z]+:/ { inside = ($0 == "SUBCOMMANDS:"); next }
        inside && /^  [a-z]/ { print $1 }' | sed -E 's/[(,].*//' | grep -vx help || true
}

# The text of subsection NAME from the output of subsections, on stdin, as lines.
subsection_text() {
    awk -F '\t' -v s="$1" '$1 == s { print $2 }' | tr '\037' '\n'
}

# --- the executables ----------------------------------------------------------------------------
if [ -z "${BIN_DIR:-}" ]; then
    echo "building (debug) for --help: $SWIFT build ${build_flags[*]}"
    (cd "$here" && "$SWIFT" build "${build_flags[@]}") >&2
    BIN_DIR=$(cd "$here" && "$SWIFT" build "${build_flags[@]}" --show-bin-path)
fi
for program in p2p-indexd p2p-peerd p2pctl; do
    [ -x "$BIN_DIR/$program" ] || {
        echo "check-man: $BIN_DIR/$program is not built" >&2
        exit 1
    }
done

# --- 2. options and subcommands -----------------------------------------------------------------
# check_program PAGE PROGRAM: the daemons (no subcommands).
check_program() {
    local page=$1 program=$2 help help_option_list text items documented option count
    help=$("$BIN_DIR/$program" --help)
    text=$(render "$man_dir/$page")
    items=$(printf '%s\n' "$text" | section_text OPTIONS | tagged_options)
    help_option_list=$(printf '%s\n' "$help" | help_options)
    count=0
    for option in $help_option_list; do
        count=$((count + 1))
        grep -qxF -- "$option" <<<"$items" ||
            fail "$page: $program --help has $option, the page's OPTIONS section has no item for it"
    done
    [ "$count" -gt 0 ] || fail "$program --help: no options found (has its format changed?)"
    documented=$(printf '%s\n' "$text" | section_text OPTIONS | options_in)
    [ -n "$documented" ] || fail "$page: no options in its OPTIONS section"
    for option in $documented; do
        grep -qxF -- "$option" <<<"$help_option_list" ||
            fail "$page: OPTIONS documents $option, which $program --help does not have"
    done
    echo "options: $page: $count options of $program --help checked both ways"
}

check_program p2p-indexd.8 p2p-indexd
check_program p2p-peerd.8 p2p-peerd

# p2pctl.1: the root, then each subcommand.
page=p2pctl.1
text=$(render "$man_dir/$page")
root_help=$("$BIN_DIR/p2pctl" --help)
all_help_options=$(printf '%s\n' "$root_help" | help_options)
global_items=$(printf '%s\n' "$text" | section_text OPTIONS | tagged_options)
global_documented=$(printf '%s\n' "$text" | section_text OPTIONS | options_in)
[ -n "$global_documented" ] || fail "$page: no options in its OPTIONS section"
command_sections=$(printf '%s\n' "$text" | subsections COMMANDS)
subcommands=$(printf '%s\n' "$root_help" | help_subcommands)
[ -n "$subcommands" ] || fail "p2pctl --help: no subcommands found (has its format changed?)"
for option in $(printf '%s\n' "$root_help" | help_options); do
    grep -qxF -- "$option" <<<"$global_items" ||
        fail "$page: p2pctl --help has $option, the page's OPTIONS section has no item for it"
done
count=0
for sub in $subcommands; do
    count=$((count + 1))
    sub_help=$("$BIN_DIR/p2pctl" help "$sub")
    sub_options=$(printf '%s\n' "$sub_help" | help_options)
    all_help_options=$(printf '%s\n%s\n' "$all_help_options" "$sub_options")
    section=$(printf '%s\n' "$command_sections" | subsection_text "$sub")
    if [ -z "$section" ]; then
        fail "$page: subcommand $sub has no subsection under COMMANDS"
        continue
    fi
    section_items=$(printf '%s\n' "$section" | tagged_options)
    for option in $sub_options; do
        if grep -qxF -- "$option" <<<"$global_items"; then
            continue # described once, in OPTIONS
        fi
        grep -qxF -- "$option" <<<"$section_items" ||
            fail "$page: p2pctl help $sub has $option, the page's $sub subsection has no item for it"
    done
    for option in $(printf '%s\n' "$section" | options_in); do
        grep -qxF -- "$option" <<<"$sub_options" ||
            fail "$page: the $sub subsection names $option, which p2pctl help $sub does not have"
    done
done
for name in $(printf '%s\n' "$command_sections" | cut -f1); do
    grep -qxF -- "$name" <<<"$subcommands" ||
        fail "$page: COMMANDS has a subsection $name, which p2pctl --help does not list"
done
for option in $global_documented; do
    grep -qxF -- "$option" <<<"$all_help_options" ||
        fail "$page: OPTIONS documents $option, which no p2pctl --help has"
done
echo "options: $page: p2pctl and its $count subcommands checked both ways"

# --- 3. p2p.conf.5 keys against etc/p2p -----------------------------------------------------------
# "file section key default" for each `#Key=Value` line of a shipped file ("-" for an empty
# default); file is index for index.conf and peer for the peer's files.
shipped_keys() {
    local kind=$1
    shift
    awk -v kind="$kind" '
        /^\[[^]]+\]$/ { section = substr($0, 2, length($0) - 2); next }
        /^#[A-Za-z][A-Za-z0-9]*=/ {
            line = substr($0, 2); eq = index(line, "=")
            value = substr(line, eq + 1); if (value == "") value = "-"
            print kind, section, substr(line, 1, eq - 1), value }' "$@"
}

# The same from the page: "file section key" plus the key's paragraph, tab-separated.
page_keys() {
    awk '
        function flush() { if (key != "") print file "\t" section "\t" key "\t" body; key = "" }
        /^[A-Z][A-Z0-9 .-]*$/ { flush(); file = ($0 == "INDEX.CONF") ? "index" : ($0 == "PEER.CONF") ? "peer" : ""; next }
        file == "" { next }
        /^   \[[^]]+\]/ { flush(); section = $0; sub(/^ +\[/, "", section); sub(/\].*/, "", section); next }
        /^       [A-Z][A-Za-z0-9]*=/ { flush(); line = $0; sub(/^ +/, "", line)
                                      key = substr(line, 1, index(line, "=") - 1); body = line; next }
        key != "" { body = body " " $0 }
        END { flush() }'
}

# P2P_SECTION_KEY, as SettingKey.environmentVariable spells it (HeartbeatTTLSec -> HEARTBEAT_TTL_SEC).
environment_variable() {
    awk -v section="$1" -v key="$2" '
        function snake(w,   i, c, p, n, out) {
            out = ""
            for (i = 1; i <= length(w); i++) {
                c = substr(w, i, 1); p = substr(w, i - 1, 1); n = substr(w, i + 1, 1)
                if (i > 1 && c ~ /[A-Z]/ && (p ~ /[a-z0-9]/ || (p ~ /[A-Z]/ && n ~ /[a-z]/))) out = out "_"
                out = out (c ~ /[A-Za-z0-9]/ ? toupper(c) : "_")
            }
            return out
        }
        BEGIN { print "P2P_" snake(section) "_" snake(key) }'
}

conf_page=p2p.conf.5
shipped=$( (
    shipped_keys index "$etc_dir/index.conf"
    shipped_keys peer "$etc_dir/peer.conf" "$etc_dir"/peers/*.conf.example
) | sort -u)
documented=$(render "$man_dir/$conf_page" | page_keys)
[ -n "$shipped" ] || fail "no #Key= lines in $etc_dir"
[ -n "$documented" ] || fail "$conf_page: no keys found under INDEX.CONF / PEER.CONF"

duplicates=$(printf '%s\n' "$documented" | cut -f1-3 | sort | uniq -d)
[ -z "$duplicates" ] || fail "$conf_page documents more than once: $(tr "\n" " " <<<"$duplicates")"
conflicting=$(printf '%s\n' "$shipped" | cut -d' ' -f1-3 | sort | uniq -d)
[ -z "$conflicting" ] || fail "etc/p2p gives different defaults for: $(tr "\n" " " <<<"$conflicting")"

count=0
while read -r file section key value; do
    [ -n "$file" ] || continue
    count=$((count + 1))
    body=$(printf '%s\n' "$documented" | awk -F '\t' -v f="$file" -v s="$section" -v k="$key" \
        '$1 == f && $2 == s && $3 == k { print $4 }')
    if [ -z "$body" ]; then
        fail "$conf_page: [$section] $key of $file.conf (etc/p2p) is not documented"
        continue
    fi
    [ "$value" = "-" ] && value=empty
    # "Default: VALUE" not followed by another letter or digit (so 1 does not match 10).
    awk -v want="Default: $value" '{
            i = index($0, want); if (i == 0) exit 1
            if (substr($0, i + length(want), 1) ~ /[A-Za-z0-9]/) exit 1 }' <<<"$body" ||
        fail "$conf_page: [$section] $key ($file) does not say \"Default: $value\" as etc/p2p does"
    variable=$(environment_variable "$section" "$key")
    contains_word=$(printf '%s\n' "$body" | grep -oE '\bP2P_[A-Z0-9_]+' | grep -cxF -- "$variable" || true)
    [ "$contains_word" -gt 0 ] || fail "$conf_page: [$section] $key ($file) does not name $variable"
done <<<"$(printf '%s\n' "$shipped" | sort -u -k1,3)"

while IFS=$'\t' read -r file section key _; do
    [ -n "$file" ] || continue
    awk -v f="$file" -v s="$section" -v k="$key" \
        '$1 == f && $2 == s && $3 == k { found = 1 } END { exit !found }' <<<"$shipped" ||
        fail "$conf_page documents [$section] $key for $file.conf, which etc/p2p does not have"
done <<<"$documented"
echo "keys: $conf_page: $count keys of etc/p2p checked both ways, with defaults and variables"

if [ "$failures" -ne 0 ]; then
    echo "check-man: $failures failure(s)" >&2
    exit 1
fi
echo "check-man: OK"

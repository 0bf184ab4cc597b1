# Static checks of the units, printed with the run: systemd-analyze verify and the security
# exposure scores (scripts/check-units.sh; no container needed). Sourced by systemd-e2e.sh.

all_cases+=(unit_security_scores)

case_unit_security_scores() {
    local name=unit_security_scores output
    if output=$("$repo/scripts/check-units.sh" 2>&1); then
        printf '%s\n' "$output" | grep '^security:' | sed 's/^/    /'
        ok $name
    else
        printf '%s\n' "$output" | sed 's/^/    | /'
        fail $name "scripts/check-units.sh failed"
    fi
}


// The parts of libsystemd the Systemd module wraps. Variadic functions (sd_notifyf,
// sd_journal_send) do not import into Swift; the Swift side uses sd_notify and sd_journal_sendv.
#pragma once
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

import Configuration
import Synchronization

/// An access reporter that remembers which provider supplied the last value read.
///
/// `ConfigReader` does the layering; this is how we learn afterwards which layer won, so that an
/// invalid value can be blamed on its file and line, environment variable or flag — without
/// re-implementing the precedence ourselves.
final class WinningProviderRecorder: AccessReporter {
    private let lastWinner = Mutex<String?>(nil)

    func report(_ event: AccessEvent) {
        let winner = event.providerResults.first { result in
            if case .success(let lookup) = result.result { lookup.value != nil } else { false }
        }
        lastWinner.withLock { $0 = winner?.providerName }
    }

    /// The name of the provider that answered the last lookup, clearing it.
    func takeWinner() -> String? {
        lastWinner.withLock { winner in
            defer { winner = nil }
            return winner
        }
    }
}

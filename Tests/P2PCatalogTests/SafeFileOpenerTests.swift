import Glibc
import Testing

@testable import P2PCatalog

@Suite struct SafeFileOpenerTests {
    /// A peer's layout: `shared/` and, beside it, a file that must never be served.
    func withLayout(_ body: (_ shared: String, _ outside: String) throws -> Void) throws {
        try withTemporaryFolder { root in
            try makeFolder(root + "/shared")
            try writeFile(root + "/secret", "outside the served folder")
            try body(root + "/shared", root + "/secret")
        }
    }

    @Test func opensARegularFileAndReportsItsSize() throws {
        try withLayout { shared, _ in
            try writeFile(shared + "/song.ogg", "la la la")
            let file = try SafeFileOpener(directory: shared).open(name("song.ogg"))
            defer { file.close() }
            #expect(file.size == 8)
            #expect(file.status.kind == .regular)
            #expect(readAll(file.descriptor) == Array("la la la".utf8))
            // Blocking mode restored after the O_NONBLOCK guard.
            #expect(fcntl(file.descriptor, F_GETFL) & O_NONBLOCK == 0)
        }
    }

    @Test func missingFileIsNotFound() throws {
        try withLayout { shared, _ in
            #expect(throws: SafeOpenError.notFound(name("nope"))) {
                try SafeFileOpener(directory: shared).open(name("nope"))
            }
        }
    }

    @Test func symlinkPointingOutsideIsRefused() throws {
        try withLayout { shared, outside in
            #expect(symlink(outside, shared + "/innocent.txt") == 0)
            #expect(symlink("../secret", shared + "/relative.txt") == 0)
            #expect(symlink("/etc/passwd", shared + "/passwd") == 0)
            let opener = SafeFileOpener(directory: shared)
            for link in ["innocent.txt", "relative.txt", "passwd"] {
                #expect(throws: SafeOpenError.symbolicLink(name(link))) { try opener.open(name(link)) }
                #expect(throws: SafeOpenError.symbolicLink(name(link))) {
                    try opener.status(of: name(link))
                }
            }
        }
    }

    /// Decision: symbolic links are refused even when they point inside the folder.
    @Test func symlinkPointingInsideIsAlsoRefused() throws {
        try withLayout { shared, _ in
            try writeFile(shared + "/real.txt", "content")
            #expect(symlink("real.txt", shared + "/alias.txt") == 0)
            let opener = SafeFileOpener(directory: shared)
            #expect(throws: SafeOpenError.symbolicLink(name("alias.txt"))) {
                try opener.open(name("alias.txt"))
            }
            let real = try opener.open(name("real.txt"))
            real.close()
        }
    }

    @Test func hardLinkedFilesAreRefusedUnlessAllowed() throws {
        try withLayout { shared, outside in
            #expect(link(outside, shared + "/linked.txt") == 0)
            #expect(throws: SafeOpenError.hardLinked(name("linked.txt"), linkCount: 2)) {
                try SafeFileOpener(directory: shared).open(name("linked.txt"))
            }
            let file = try SafeFileOpener(directory: shared, allowsHardLinks: true).open(
                name("linked.txt"))
            defer { file.close() }
            #expect(file.status.linkCount == 2)
            #expect(readAll(file.descriptor) == Array("outside the served folder".utf8))
        }
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        try withLayout { shared, _ in
            #expect(mkfifo(shared + "/pipe", 0o644) == 0)
            // Opening a FIFO for reading would block until a writer came; the opener never opens it.
            #expect(throws: SafeOpenError.notRegularFile(name("pipe"), .fifo)) {
                try SafeFileOpener(directory: shared).open(name("pipe"))
            }
        }
    }

    @Test func directoryIsRefused() throws {
        try withLayout { shared, _ in
            try makeFolder(shared + "/album")
            #expect(throws: SafeOpenError.notRegularFile(name("album"), .directory)) {
                try SafeFileOpener(directory: shared).open(name("album"))
            }
        }
    }

    @Test func hiddenFilesAreRefused() throws {
        try withLayout { shared, _ in
            try writeFile(shared + "/.bash_history", "private")
            #expect(throws: SafeOpenError.hidden(name(".bash_history"))) {
                try SafeFileOpener(directory: shared).open(name(".bash_history"))
            }
        }
    }

    @Test func servedFolderMayItselfBeASymlink() throws {
        try withLayout { shared, _ in
            try writeFile(shared + "/song.ogg", "x")
            let alias = shared + "-alias"
            #expect(symlink(shared, alias) == 0)
            let file = try SafeFileOpener(directory: alias).open(name("song.ogg"))
            file.close()
        }
    }

    @Test func missingFolderIsASystemError() {
        #expect(throws: SafeOpenError.self) {
            try SafeFileOpener(directory: "/nonexistent/p2p/shared").open(name("x"))
        }
    }

    @Test func errorDescriptionsEscapeNames() {
        let error = SafeOpenError.symbolicLink(name("a b"))
        #expect(error.description == #""a b": symbolic links are not served"#)
        #expect(
            SafeOpenError.notRegularFile(name("p"), .fifo).description == #""p": a FIFO is not served"#)
        #expect(
            SafeOpenError.notRegularFile(name("d"), .characterDevice).reason
                == "a character device is not served")
    }
}

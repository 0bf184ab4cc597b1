import Testing

@testable import P2PConfig

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Config files and drop-ins")
struct ConfigFileStackTests {
    @Test("a missing file and a missing drop-in folder give no documents")
    func missing() throws {
        try withScratchDirectory { dir in
            let documents = try ConfigFileStack.read(dir.path + "/index.conf")
            #expect(documents.isEmpty)
        }
    }

    @Test("drop-ins are read after the file, *.conf only, in byte order, hidden files skipped")
    func dropInOrder() throws {
        try withScratchDirectory { dir in
            try dir.write("x.conf", "[S]\nA=main\n")
            try dir.write("x.conf.d/20-b.conf", "[S]\nA=20-b\n")
            try dir.write("x.conf.d/10-a.conf", "[S]\nA=10-a\n")
            try dir.write("x.conf.d/100.conf", "[S]\nA=100\n")
            try dir.write("x.conf.d/Z.conf", "[S]\nA=Z\n")
            try dir.write("x.conf.d/.hidden.conf", "[S]\nA=hidden\n")
            try dir.write("x.conf.d/notes.txt", "not ini at all")
            try dir.write("x.conf.d/old.conf.bak", "[S]\nA=bak\n")
            let documents = try ConfigFileStack.read(dir.path + "/x.conf")
            #expect(documents.map { $0.entries[0].value } == ["main", "10-a", "100", "20-b", "Z"])
            #expect(documents[1].path == dir.path + "/x.conf.d/10-a.conf")
        }
    }

    @Test("drop-ins are read even when the main file is missing")
    func dropInsWithoutMain() throws {
        try withScratchDirectory { dir in
            try dir.write("x.conf.d/a.conf", "[S]\nA=1\n")
            let documents = try ConfigFileStack.read(dir.path + "/x.conf")
            #expect(documents.map(\.path) == [dir.path + "/x.conf.d/a.conf"])
        }
    }

    @Test("a file that cannot be read is an error naming it")
    func unreadableFile() throws {
        // Tests may run as root, where permission bits do not stop reads; a folder in place of the
        // file fails for everyone.
        try withScratchDirectory { dir in
            try dir.makeDirectory("x.conf")
            let error = configurationError { try ConfigFileStack.read(dir.path + "/x.conf") }
            #expect(error == .unreadable(path: dir.path + "/x.conf", reason: "Is a directory"))
            #expect(error?.description == "\(dir.path)/x.conf: cannot read: Is a directory")
        }
    }

    @Test("a drop-in path that is not a folder is an error naming it")
    func unreadableDropInFolder() throws {
        try withScratchDirectory { dir in
            try dir.write("x.conf.d", "a file where a folder belongs")
            let error = configurationError { try ConfigFileStack.read(dir.path + "/x.conf") }
            #expect(error == .unreadable(path: dir.path + "/x.conf.d", reason: "Not a directory"))
        }
    }

    @Test("text that is not UTF-8 is an error naming the file")
    func notUTF8() throws {
        try withScratchDirectory { dir in
            try dir.writeBytes("x.conf", [0x5B, 0x53, 0x5D, 0x0A, 0x41, 0x3D, 0xFF, 0xFE, 0x0A])
            let error = configurationError { try ConfigFileStack.read(dir.path + "/x.conf") }
            #expect(error?.description == "\(dir.path)/x.conf: cannot read: not valid UTF-8 text")
        }
    }

    @Test("a syntax error in a drop-in names the drop-in and its line")
    func syntaxErrorInDropIn() throws {
        try withScratchDirectory { dir in
            try dir.write("x.conf", "[S]\nA=1\n")
            try dir.write("x.conf.d/50-local.conf", "[S]\n\nnonsense\n")
            let error = configurationError { try ConfigFileStack.read(dir.path + "/x.conf") }
            #expect(
                error
                    == .syntax(
                        path: dir.path + "/x.conf.d/50-local.conf", line: 3,
                        reason: "\"nonsense\": expected Key=Value, a [Section] header or a comment"))
        }
    }

    @Test("a drop-in masked with a symlink to /dev/null contributes nothing")
    func maskedDropIn() throws {
        try withScratchDirectory { dir in
            try dir.makeDirectory("x.conf.d")
            #expect(symlink("/dev/null", dir.path + "/x.conf.d/masked.conf") == 0)
            let documents = try ConfigFileStack.read(dir.path + "/x.conf")
            #expect(documents.map(\.entries) == [[]])
        }
    }
}

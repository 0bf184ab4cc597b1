import P2PProtocol
import Testing

@Suite struct JSONParserTests {
    @Test func parsesScalarsAndContainers() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5, true, false, null, "x"], "b": {"c": 9007199254740993}}"#)
        #expect(value["a"] == [1, .double(-2.5), true, false, nil, "x"])
        #expect(value["b"]?["c"] == .int(9_007_199_254_740_993))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\té😀"))
    }

    @Test func roundTripsThroughTheWriter() throws {
        let original: JSONValue = ["name": "we\"ird\n\u{01}", "n": -3, "list": [1.5, nil, false], "empty": [:]]
        #expect(try JSONParser.parse(original.serialized) == original)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "01", "1.", "-", "\"abc", "\"a\u{01}b\"", "[1] 2",
        "\"\\x\"", "1e999", "{a:1}", "nul",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func unpairedSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""a\udcffb""#) == .string("a\u{FFFD}b"))
        #expect(try JSONParser.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func refusesDeepNestingWithoutRecursingFurther() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test func keepsHugeIntegersAsDoublesAndRefusesAbsurdLengths() throws {
        #expect(try JSONParser.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(String(repeating: "9", count: 100)) }
    }
}

import P2PProtocol
import Testing

@testable import P2PBench

@Suite struct ResultDocumentTests {
    @Test func prettyJSONParsesBackToTheSameDocument() throws {
        let document = ResultDocument.make(
            experiment: "weak", parameters: ["clients": [1, 2], "note": "a \"quoted\"\nline", "empty": .object([])],
            points: [["mode": "persistent", "rate": .rounded(1234.56789, digits: 1)], .array([])])
        let text = document.pretty
        #expect(text.contains("\n  \"experiment\": \"weak\",\n"))
        #expect(try JSONParser.parse(Array(text.utf8)) == document)
        #expect(document["points"]?.arrayFirst?["rate"] == .double(1234.6))
    }

    @Test func roundedNumbers() {
        #expect(JSONValue.rounded(0.1 + 0.2, digits: 3) == .double(0.3))
        #expect(JSONValue.rounded(.nan, digits: 2) == .null)
    }
}

extension JSONValue {
    fileprivate var arrayFirst: JSONValue? {
        if case .array(let elements) = self { return elements.first }
        return nil
    }
}

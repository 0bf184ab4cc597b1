extension SearchResponse {
    /// Writes exactly what `payload.write(into:)` writes, without building the `JSONValue` tree
    /// first: a search reply is the index's most frequent message, and the tree costs a dozen heap
    /// objects per result.
    public func writePayload(into output: inout [UInt8]) {
        if results.isEmpty {
            output.append(contentsOf: #"{"status":"error","error":"file_not_found","file_name":"#.utf8)
            JSONValue.writeString(query, into: &output)
            output.append(contentsOf: #","results":[]}"#.utf8)
            return
        }
        output.append(contentsOf: #"{"status":"ok","file_name":"#.utf8)
        JSONValue.writeString(query, into: &output)
        output.append(contentsOf: #","results":["#.utf8)
        for (offset, result) in results.enumerated() {
            if offset > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: #"{"peer_id":"#.utf8)
            JSONValue.writeString(result.peerID, into: &output)
            output.append(contentsOf: #","peer":{"host":"#.utf8)
            JSONValue.writeString(result.endpoint.host, into: &output)
            output.append(contentsOf: #","port":"#.utf8)
            output.append(contentsOf: String(result.endpoint.port).utf8)
            output.append(contentsOf: #"},"file_name":"#.utf8)
            JSONValue.writeString(result.fileName, into: &output)
            output.append(contentsOf: #","meta":{"#.utf8)
            if let size = result.meta.size {
                output.append(contentsOf: #""size":"#.utf8)
                output.append(contentsOf: String(size).utf8)
            }
            if let sha256 = result.meta.sha256 {
                if result.meta.size != nil { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: #""sha256":"#.utf8)
                JSONValue.writeString(sha256, into: &output)
            }
            output.append(contentsOf: "}}".utf8)
        }
        output.append(contentsOf: "]}".utf8)
    }
}

extension Envelope {
    /// The line `encodedLine()` produces, with `writePayload` writing the payload in place of
    /// `payload` (which is ignored).
    public func encodedLine(writingPayload writePayload: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.append(contentsOf: #"{"type":"#.utf8)
        JSONValue.writeString(type, into: &bytes)
        bytes.append(contentsOf: #","timestamp":"#.utf8)
        bytes.append(contentsOf: String(timestamp).utf8)
        bytes.append(contentsOf: #","version":"#.utf8)
        JSONValue.writeString(version, into: &bytes)
        bytes.append(contentsOf: #","peer_id":"#.utf8)
        JSONValue(peerID).write(into: &bytes)
        bytes.append(contentsOf: #","request_id":"#.utf8)
        JSONValue(requestID).write(into: &bytes)
        bytes.append(contentsOf: #","payload":"#.utf8)
        writePayload(&bytes)
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }
}

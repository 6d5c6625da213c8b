public import Foundation

/// A C2SP tlog-witness `add-checkpoint` request: the size of the checkpoint the log last had
/// cosigned by this witness, a consistency proof from it, and the new signed checkpoint.
public struct AddCheckpoint: Sendable, Equatable {
    public let oldSize: Int64
    public let proof: [TreeHash]
    /// The signed note, as sent: its body and every signature line.
    public let note: String

    public init(oldSize: Int64, proof: [TreeHash], note: String) { (self.oldSize, self.proof, self.note) = (oldSize, proof, note) }

    /// The request's body: `old N`, up to 63 base64 hashes, a blank line, the note; each line ends in a newline.
    public var body: String {
        "old \(oldSize)\n" + proof.map { $0.base64EncodedString() + "\n" }.joined() + "\n" + note
    }

    public init(body text: String) throws(WitnessRefusal) {
        guard let blank = text.range(of: "\n\n") else {
            throw .badRequest("a request is an old size line, proof lines, a blank line and a checkpoint")
        }
        var lines = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("old "), let old = Int64(first.dropFirst(4)), old >= 0,
            String(old) == first.dropFirst(4)
        else { throw .badRequest("the first line is 'old' and a size in decimal") }
        lines.removeFirst()
        guard lines.count <= 63 else { throw .badRequest("at most 63 consistency proof lines") }
        var proof: [TreeHash] = []
        for line in lines {
            guard let hash = Data(base64Encoded: String(line)), hash.count == 32 else {
                throw .badRequest("a proof line is one base64 SHA-256 hash")
            }
            proof.append(hash)
        }
        let note = String(text[blank.upperBound...])
        guard note.hasSuffix("\n") else { throw .badRequest("every line ends in a newline") }
        self.init(oldSize: old, proof: proof, note: note)
    }
}

/// Why a witness will not cosign, as the protocol's status codes say it.
public enum WitnessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400: the request is malformed, or its old size exceeds the checkpoint's.
    case badRequest(String)
    /// 403: no signature by a key the witness trusts for the origin, or one that does not verify.
    case unsigned(String)
    /// 404: the witness does not witness this log.
    case unknownOrigin(String)
    /// 409: the old size is not the size the witness last cosigned; the answer carries that size.
    case conflict(latest: Int64)
    /// 422: the checkpoint is not consistent with the one the witness last cosigned (a fork, a
    /// rollback, a rewritten root), or its proof does not verify.
    case inconsistent(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unsigned: 403
        case .unknownOrigin: 404
        case .conflict: 409
        case .inconsistent: 422
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let why), .unsigned(let why), .unknownOrigin(let why), .inconsistent(let why): why
        case .conflict(let latest): "the witness last cosigned a checkpoint of \(latest) entries"
        }
    }
}

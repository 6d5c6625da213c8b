public import CustodianCore
public import Foundation
import SQLKit

/// The log's Merkle tree on SQL: integrates logged entries into tiles in batches, publishes signed
/// checkpoints, answers proofs from the stored tiles, and verifies the whole log.
public actor SQLAuditLedger: AuditLedger {
    let driver: any SQLDriver
    let signer: NoteSigner
    let clock: Clock
    /// The right edge of the tree as last integrated: saves re-reading it from tiles every batch.
    private var edge = CompactRange()

    public nonisolated var verifier: NoteVerifier { signer.verifier }
    public nonisolated var origin: String { signer.name }
    public nonisolated func signature(for data: Data) throws -> Data { try signer.signature(for: data) }
    /// `text` as a signed note under the log's key: what an outsider holding the log's verifier key checks.
    public nonisolated func signedNote(_ text: String) throws -> String { try signer.sign(text: text) }

    public init(driver: any SQLDriver, signer: NoteSigner, clock: Clock = .system) {
        self.driver = driver
        self.signer = signer
        self.clock = clock
    }

    /// Entries integrated per transaction: bounds the work one publish holds locks for.
    static let batch: Int64 = 20_000

    @discardableResult
    public func publish() async throws -> StoredCheckpoint? {
        var published: StoredCheckpoint?
        while true {
            let (checkpoint, range, more) = try await driver.transaction { [edge, signer, clock] db in
                try await Self.integrate(db, cached: edge, signer: signer, now: clock.now())
            }
            if let range, range.size > edge.size { edge = range }
            if let checkpoint { published = checkpoint }
            if !more { return published }
        }
    }

    private static func integrate(_ db: any SQLDatabase, cached: CompactRange, signer: NoteSigner, now: Timestamp)
        async throws -> (StoredCheckpoint?, CompactRange?, Bool)
    {
        try await Dialect.lockAuditTree(db)
        let log = AuditLogSQL(db: db)
        let integrated = try await log.latestCheckpoint(origin: signer.name)?.checkpoint.size ?? 0
        let logged = try await log.size()
        guard logged > integrated else { return (nil, nil, false) }
        var range = cached.size == integrated ? cached : try await CompactRange(size: integrated, from: TiledHashes.reading(db))
        let end = min(logged, integrated + batch)
        var closed: [(level: Int, index: Int64, hash: TreeHash)] = []
        for (seq, bytes) in try await log.rawEntries(from: integrated, to: end) {
            guard seq == range.size else { throw TreeDataError.missing("entry \(range.size) is missing from the log") }
            closed += range.append(CanonicalEntry.leafHash(bytes))
        }
        for (key, addition) in Tiles.additions(closed) {
            var hashes = Data()
            if addition.offset > 0 {
                let stored = try await log.tiles(level: key.level, from: key.index, through: key.index)[key.index] ?? Data()
                hashes = stored.prefix(addition.offset * 32)
            }
            hashes.append(addition.hashes)
            try await log.putTile(level: key.level, index: key.index, hashes: hashes)
        }
        let checkpoint = Checkpoint(origin: signer.name, size: range.size, root: range.root)
        let stored = StoredCheckpoint(checkpoint: checkpoint, note: try signer.sign(checkpoint), publishedAt: now)
        try await log.insertCheckpoint(stored)
        return (stored, range, end < logged)
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await driver.transaction { [origin] db in try await AuditLogSQL(db: db).latestCheckpoint(origin: origin) }
    }

    public func checkpoint(size: Int64) async throws -> StoredCheckpoint? {
        try await driver.transaction { [origin] db in try await AuditLogSQL(db: db).checkpoint(size: size, origin: origin) }
    }

    public func inclusionProof(index: Int64, size: Int64) async throws -> [TreeHash] {
        try await driver.read { db in try await TiledHashes.reading(db).inclusionProof(index: index, size: size) }
    }

    public func consistencyProof(old: Int64, new: Int64) async throws -> [TreeHash] {
        try await driver.read { db in try await TiledHashes.reading(db).consistencyProof(old: old, new: new) }
    }

    public func entries(from start: Int64, count: Int) async throws -> [LoggedEntry] {
        try await driver.read { db in
            // A start near Int64.max must not overflow into a trap: the range simply ends at the top.
            let (end, overflow) = start.addingReportingOverflow(Int64(count))
            let raw = try await AuditLogSQL(db: db).rawEntries(from: start, to: overflow ? Int64.max : end)
            return try raw.map { LoggedEntry(recorded: try AuditLogSQL.decodeEntry(bytes: $0.1), stored: $0.1) }
        }
    }

    /// The stored tiles of `level` from `first` through `last`, as integrated so far: each 32-byte
    /// hashes concatenated, a partial one possibly holding more than an older checkpoint covers.
    public func tiles(level: Int, from first: Int64, through last: Int64) async throws -> [Int64: Data] {
        try await driver.read { db in try await AuditLogSQL(db: db).tiles(level: level, from: first, through: last) }
    }

    /// Keeps witness `witness`'s cosignature line on the checkpoint of `size` (replacing an older one).
    public func addCosignature(size: Int64, witness: String, line: String, at time: UInt64) async throws {
        try await driver.transaction { db in
            try await AuditLogSQL(db: db).addCosignature(size: size, witness: witness, line: line, at: Int64(clamping: time))
        }
    }

    /// The largest checkpoint `witness` has cosigned, as this log knows it.
    public func cosignedSize(by witness: String) async throws -> Int64? {
        try await driver.read { db in try await AuditLogSQL(db: db).cosignedSize(by: witness) }
    }

    /// The entries `query` picks, newest first, read without a user: for commands that look at a
    /// log before anyone can sign in to it (a restore checking which backup it holds).
    public func entries(matching query: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await driver.read { db in try await AuditLogSQL(db: db).query(query) }
    }

    /// Bytes on disk for the log: entries, filter columns, indexes, tiles and checkpoints.
    /// How many entries the log holds: its highest sequence number, one read of the index.
    public func size() async throws -> Int64 {
        try await driver.readStatement { db in try await AuditLogSQL(db: db).size() }
    }

    public func footprint() async throws -> (bytes: Int64, entries: Int64) {
        try await driver.transaction { db in (try await Dialect.auditFootprint(db), try await AuditLogSQL(db: db).size()) }
    }

    /// Every stored entry's canonical bytes, in order: for measuring raw hashing beside verification.
    public func allEntryBytes() async throws -> [Data] {
        var out: [Data] = []
        var next: Int64 = 0
        while true {
            let page = try await driver.read { [next] db in try await AuditLogSQL(db: db).rawEntries(after: next, limit: 20_000) }
            guard let last = page.last else { return out }
            out += page.map(\.1)
            next = last.0 + 1
        }
    }

    /// Re-reads the whole log against its tree and every checkpoint, plus any kept elsewhere.
    public func verify(progress: @escaping @Sendable (WorkProgress) -> Void) async throws -> LogVerification.Summary {
        try await verify(also: [], scan: scan, progress: progress)
    }

    public func verify(
        also outside: [StoredCheckpoint], progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws -> LogVerification.Summary {
        try await verify(also: outside, scan: scan, progress: progress)
    }

    /// The driver's own bulk reader, or the same reads through SQLKit.
    private var scan: any AuditLogScan { driver as? any AuditLogScan ?? SQLKitLogScan(driver: driver) }

    /// Reads every entry as verification does and nothing more: the baseline verification is
    /// measured against. Returns how many entries it read.
    public func readThrough() async throws -> Int64 {
        var next: Int64 = 0
        var read: Int64 = 0
        while true {
            let page = try await scan.page(from: next, limit: Self.verificationPage)
            guard let last = page.sequences.last else { return read }
            read += Int64(page.count)
            next = last + 1
        }
    }

    /// Entries read at a time: a multiple of 256, so every page after the first starts a tile.
    static let verificationPage = 8_192

    func verify(
        also outside: [StoredCheckpoint], scan: any AuditLogScan, progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws -> LogVerification.Summary {
        let (checkpoints, tiles) = try await driver.read { [origin] db in
            let log = AuditLogSQL(db: db)
            var tiles: [Tiles.Key: Data] = [:]
            for level in 0..<8 {
                for (index, hashes) in try await log.tiles(level: level, from: 0, through: Int64.max) {
                    tiles[Tiles.Key(level: level, index: index)] = hashes
                }
            }
            return (try await log.allCheckpoints(origin: origin), tiles)
        }
        var verification = LogVerification(verifier: verifier, checkpoints: checkpoints + outside, tiles: tiles)
        try await verification.start()
        // Entries logged after the newest checkpoint are read too, so the count may pass it.
        let expected = (checkpoints + outside).map { Int($0.checkpoint.size) }.max() ?? 0
        var read = 0
        // Each page is read while the one before it is hashed.
        var reading = Task { try await scan.page(from: 0, limit: Self.verificationPage) }
        defer { reading.cancel() }
        while true {
            let page = try await reading.value
            guard let last = page.sequences.last else { break }
            reading = Task { try await scan.page(from: last + 1, limit: Self.verificationPage) }
            try await verification.add(page)
            read += page.count
            progress(WorkProgress(step: "Checking entries against the tree", done: read, total: max(expected, read)))
        }
        let size = verification.size
        if try await scan.subjectIndex(below: size, into: verification.subjects.empty()) != verification.subjects {
            try await nameIndexFault(size: size, scan: scan)
        }
        if let stray = try await driver.read({ db in try await AuditLogSQL(db: db).subjectIndexRowWithoutEntry(atOrAfter: size) }) {
            throw LogFault("entry \(stray): the per-subject index names an entry the log does not hold")
        }
        return try verification.finish()
    }

    /// The index and the entries disagree somewhere below `size`: entry by entry, the first
    /// whose index rows differ from the subjects its signed bytes name.
    private func nameIndexFault(size: Int64, scan: any AuditLogScan) async throws -> Never {
        var next: Int64 = 0
        while next < size {
            let page = try await scan.page(from: next, limit: Self.verificationPage)
            guard let last = page.sequences.last else { break }
            let index = try await driver.read { [next] db in try await AuditLogSQL(db: db).subjectIndex(from: next, through: last) }
            for i in 0..<page.count where page.sequences[i] < size {
                let named = try AuditLogSQL.decodeEntry(bytes: Data(page.entry(i))).entry.indexedSubjects.map(\.description).sorted()
                if named != index[page.sequences[i]] ?? [] {
                    throw LogFault(
                        "entry \(page.sequences[i]): its per-subject index rows disagree with the subjects its signed bytes name; the index was edited"
                    )
                }
            }
            next = last + 1
        }
        throw LogFault("the per-subject index disagrees with the entries below \(size); the index was edited")
    }
}

extension TiledHashes {
    /// Tiles read from the database as they are needed, each at most once per use.
    static func reading(_ db: any SQLDatabase) -> TiledHashes {
        let cache = TileCache(db: db)
        return TiledHashes { key in try await cache.tile(key) }
    }
}

private actor TileCache {
    let db: any SQLDatabase
    var tiles: [Tiles.Key: Data?] = [:]
    init(db: any SQLDatabase) { self.db = db }

    func tile(_ key: Tiles.Key) async throws -> Data? {
        if let known = tiles[key] { return known }
        let found = try await AuditLogSQL(db: db).tiles(level: key.level, from: key.index, through: key.index)[key.index]
        tiles[key] = found
        return found
    }
}

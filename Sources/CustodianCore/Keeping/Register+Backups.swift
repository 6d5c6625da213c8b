extension Register {
    /// An administrator starts a backup. Logged before the copy is made, so the copy holds the
    /// entry that says it was taken, and a copy that never finished is still on the log.
    public func beginBackup(_ name: String, by actor: User) async throws {
        try Self.checkBackupName(name)
        try await perform(actor, nil, action: .registerBackup) { tx, gate in
            try await tx.appendAudit([gate.entry(.backup, touched: [AuditResource(.backup, name)], outcome: "started")])
        }
    }

    /// The copy `name` is made and its log holds `entries` entries; `copy` says where else it is
    /// known, as "pgBackRest backup 20261207-233000F" (one line, of letters, digits and `-_ `).
    public func finishBackup(_ name: String, entries: Int64, copy: String? = nil, by actor: User) async throws {
        try Self.checkBackupName(name)
        let finished = AuditResource(.backup, name, part: "finished")
        let outcome = "its log holds \(entries) entries" + (copy.map { "; \($0)" } ?? "")
        try await perform(actor, nil, action: .registerBackup) { tx, gate in
            if let copy,
                !(1...120).contains(copy.count) || !copy.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_ ".contains($0)) })
            {
                throw Shortfall(
                    violations: [
                        FieldViolation(
                            field: "copy", rule: "backup.copy",
                            message: "names the copy in one line of letters, digits, spaces, '-' and '_'")
                    ], subjects: [], touched: [finished])
            }
            try await tx.appendAudit([gate.entry(.backup, touched: [finished], outcome: outcome)])
        }
    }

    /// The first entry of a register put back from backup `name`, written into the restored log:
    /// who restored it, how far its log reached, and, where it loses or rewrites published
    /// entries, the governance user who acknowledged that and why. Refused, and the refusal
    /// logged, when such a restore is not acknowledged.
    public func recordRestore(
        _ name: String, continuity: RestoreContinuity, acknowledgement: RollbackAcknowledgement?, erasuresKept: String, by actor: User
    ) async throws {
        try Self.checkBackupName(name)
        try await perform(actor, nil, action: .registerRestore) { tx, gate in
            try RollbackAcknowledgement.check(continuity, acknowledgement, today: gate.now.day)
            var outcome = "\(continuity); \(erasuresKept)"
            if let acknowledgement {
                outcome += "; acknowledged by governance user \(acknowledgement.governance.username): \(acknowledgement.reason)"
            }
            var touched = [AuditResource(.backup, name, part: "restored")]
            if let acknowledgement { touched.append(.user(acknowledgement.governance.id)) }
            try await tx.appendAudit([gate.entry(.backup, touched: touched, outcome: outcome)])
        }
    }

    private static func checkBackupName(_ name: String) throws(RegisterError) {
        guard BackupRecord.isName(name) else {
            throw .invalid([FieldViolation(field: "backup", rule: "backup.name", message: "a backup is named custodian-YYYYMMDDTHHMMSSZ")])
        }
    }
}

extension Register {
    /// An administrator starts a backup. Logged before the copy is made, so the copy holds the
    /// entry that says it was taken, and a copy that never finished is still on the log.
    public func beginBackup(_ name: String, by actor: User) async throws {
        try Self.checkBackupName(name)
        try await perform(actor, nil, action: .registerBackup) { tx, gate in
            try await tx.appendAudit([gate.entry(.backup, touched: [AuditResource(.backup, name)], outcome: "started")])
        }
    }

    /// The copy `name` is made and its log holds `entries` entries.
    public func finishBackup(_ name: String, entries: Int64, by actor: User) async throws {
        try Self.checkBackupName(name)
        try await perform(actor, nil, action: .registerBackup) { tx, gate in
            try await tx.appendAudit([
                gate.entry(.backup, touched: [AuditResource(.backup, name, part: "finished")], outcome: "its log holds \(entries) entries")
            ])
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

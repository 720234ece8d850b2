/// When the file sink forces written records to stable storage (`fdatasync`).
///
/// A strict ``AuditLog`` destination acknowledges an event only after the sink's `write` returns,
/// so the policy decides what an acknowledgement means after a crash. With ``everyWrite`` and
/// ``never`` records reach the kernel before `write` returns, so a killed process loses nothing
/// acknowledged; ``everyWrite`` also survives a power loss.
public enum FsyncPolicy: Sendable, Hashable {
    /// Sync at the end of every write call, before it returns: nothing acknowledged is ever lost.
    case everyWrite
    /// Sync once `events` records are unsynced, or when `milliseconds` have passed: a write syncs
    /// when that long has passed since the last sync, and ``AuditFileSink`` runs a timer that syncs
    /// records left unsynced at most `milliseconds` after the write that left them, even when no
    /// further event arrives. (A ``ChainedLogWriter`` used on its own has no timer: its owner calls
    /// `sync()`.) Records between syncs stay in a user-space buffer of at most 64 KiB until then.
    /// ``AuditFileSink`` runs these syncs beside its writes, which may add up to `events` more
    /// records while one runs: at most twice `events` records plus one batch are ever not yet
    /// known to be on disk.
    case every(events: Int, milliseconds: Int)
    /// Never sync explicitly; the kernel writes back when it likes. Records are handed to the
    /// kernel at the end of every write call.
    case never
}

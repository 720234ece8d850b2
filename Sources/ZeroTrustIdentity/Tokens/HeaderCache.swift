internal import Foundation
import Synchronization
internal import ZeroTrustCPULocal

/// The outcome of checking recently seen protected headers, keyed by their exact base64url text.
///
/// A verifier sees the same few headers over and over (one per issuer key), and checking one is a
/// pure function of its bytes and the verifier's immutable options, so repeating the base64url
/// decode and strict parse would only cost time. Only headers of tokens whose signature verified
/// are remembered, so forged tokens cannot fill or churn the cache, and failures are always
/// re-derived. An entry also holds the key its `kid` and `alg` selected, valid only while the
/// ``KeyRing``'s generation is the one it was found in: every change to the ring starts a new
/// generation, so removing or replacing a key takes effect immediately.
final class HeaderCache: Sendable {
    /// A checked header and the key it selected. A class, so that passing one around (into the
    /// verified token, too) counts one reference instead of one per field.
    final class Entry: Sendable {
        let encoded: [UInt8]
        let algorithm: JWSAlgorithm
        let keyID: String?
        let members: [(String, JSONValue)]
        /// The key of the ring that `keyID` and `algorithm` selected in generation `keyRingGeneration`.
        let key: VerificationKey
        let keyRingGeneration: UInt64

        init(encoded: [UInt8], algorithm: JWSAlgorithm, keyID: String?, members: [(String, JSONValue)],
             key: VerificationKey, keyRingGeneration: UInt64) {
            self.encoded = encoded
            self.algorithm = algorithm
            self.keyID = keyID
            self.members = members
            self.key = key
            self.keyRingGeneration = keyRingGeneration
        }
    }

    /// Enough for every key of a few issuers; beyond it entries are replaced round-robin.
    static let capacity = 8
    /// Longer headers are not remembered (they are unusual, and this bounds the memory held).
    static let maximumEncodedByteCount = 512

    /// One cache per CPU (`CPULocal`): a remembered entry's arrays are then counted only by the
    /// core that remembered them, and two cores never take turns on one lock. Each CPU learns a
    /// header on its own first verification of it.
    private final class Stripe: Sendable {
        let state = Mutex(RecentEntries<Entry>(capacity: HeaderCache.capacity))
        private let padding = CacheLinePadding()
    }

    private let stripes = (0..<CPULocal.copies).map { _ in Stripe() }
    /// The cache of the CPU the caller runs on.
    private var local: Stripe { stripes[CPULocal.index(stripes.count)] }

    init() {}

    /// The entry for exactly these header bytes, if one is remembered.
    func entry(for encoded: UnsafeBufferPointer<UInt8>) -> Entry? {
        guard let base = encoded.baseAddress else { return nil }
        return local.state.withLock { state in
            for entry in state.entries where entry.encoded.count == encoded.count {
                let same = entry.encoded.withUnsafeBufferPointer { remembered in
                    remembered.baseAddress.map { memcmp($0, base, encoded.count) == 0 } ?? false
                }
                if same { return entry }
            }
            return nil
        }
    }

    /// Drops the entry for these bytes, if remembered here: its key has left the ring (so that
    /// the cache does not keep a removed key alive).
    func forget(_ encoded: [UInt8]) {
        local.state.withLock { $0.removeFirst { $0.encoded == encoded } }
    }

    /// Remembers a header whose token verified, in place of an entry for the same bytes (whose
    /// key is then from an older generation of the ring).
    func remember(_ entry: Entry) {
        guard entry.encoded.count <= Self.maximumEncodedByteCount else { return }
        local.state.withLock { $0.insert(entry, replacingFirstWhere: { $0.encoded == entry.encoded }) }
    }
}

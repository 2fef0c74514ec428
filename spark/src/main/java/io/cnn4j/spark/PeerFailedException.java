package io.cnn4j.spark;

import java.net.InetSocketAddress;

/**
 * A peer in the all-reduce failed: it closed its connection (its process died), did not answer within
 * the timeout, or sent something other than what the protocol expects. Names the peer's rank and address.
 */
public final class PeerFailedException extends RuntimeException {
    private final int rank;

    PeerFailedException(int rank, InetSocketAddress address, String what, Throwable cause) {
        super("worker " + rank + " (" + address.getHostString() + ":" + address.getPort() + ") " + what, cause);
        this.rank = rank;
    }

    /** The rank of the peer that failed. */
    public int rank() {
        return rank;
    }
}

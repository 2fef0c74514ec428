package io.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims an output file for one run: a second run (another process, or another thread of this one) that
 * asks for the same file is refused at its start, instead of the two replacing each other's results for
 * hours. The claim is an operating-system lock on a hidden file beside the output, {@code .<name>.lock},
 * so it ends with the process however that ends; {@link #close} deletes the lock file.
 */
public final class OutputLock implements AutoCloseable {
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code target} for this run; {@code what} names the output in the message ({@code --save}).
     *
     * @throws FileSystemException when another run holds it, naming that run's process id
     */
    public static OutputLock claim(Path target, String what) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new FileSystemException(target.toString(), null, "cannot write " + what + ": another run"
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + " is writing it; wait for it to end,"
                    + " or give another file");
        }
        channel.truncate(0).write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
        return new OutputLock(lockFile, channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer pid = ByteBuffer.allocate(20);
            channel.read(pid, 0);
            return new String(pid.array(), 0, pid.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Ends the claim; the lock file is deleted while still held. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}

package dev.groundwork.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per project: {@code .groundwork/writer.lock}, held (an OS file lock) by the process that
 * serves or ingests the project for as long as it runs, and naming that process inside. A second
 * writer is refused when it opens the project, before it reports anything as started, with the PID
 * that holds the lock. The OS drops the lock when its process dies, even by {@code kill -9}, so a
 * crash never leaves the project locked.
 */
final class ProjectLock implements AutoCloseable {
  static final String FILE = "writer.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private ProjectLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @param what the command taking it, for the message another process will show
   * @throws ConflictException when another process (or another open project in this one) holds it
   */
  static ProjectLock acquire(Path dataDir, String what) {
    Path file = dataDir.resolve(FILE);
    FileChannel ch = null;
    try {
      Files.createDirectories(dataDir);
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        ch.close();
        throw new ConflictException("the project in " + dataDir.getParent() + " is open for writing by another groundwork process ("
            + (holder.isEmpty() ? "unknown" : holder) + "); stop it first, or send documents to the running server's POST /api/ingest");
      }
      ch.truncate(0);
      String me = "PID " + ProcessHandle.current().pid() + ", " + what + ", since " + Instant.now();
      ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(false);
      return new ProjectLock(ch, l);
    } catch (IOException e) {
      try {
        if (ch != null) ch.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new java.io.UncheckedIOException("cannot take the writer lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel, or with the process
    }
  }
}

package dev.agentyard.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: one magic byte (0), the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the datum.
 */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the 5-byte header into the start of a buffer. */
  static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    ByteBuffer.wrap(target, 1, 4).putInt(schemaId);
  }

  /** The schema id in a framed payload (no checks: call after validating length and magic byte). */
  public static int schemaId(byte[] payload) {
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }
}

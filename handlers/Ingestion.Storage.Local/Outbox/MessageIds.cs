namespace Ingestion.Storage.Local.Outbox;

/// <summary>Message ids in SNS's shape (a random UUID, version 4), one per stored notification.</summary>
/// <remarks>
/// Guid.NewGuid reads the operating system's random source, a system call per id: on a first load of a million
/// students that was a million system calls for ids that only need to be unique, not unpredictable. These come from
/// the runtime's seeded generator instead (122 random bits, the same as a v4 UUID).
/// </remarks>
public static class MessageIds
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        // Guid's byte order is little-endian in its first three fields: byte 7 carries the version nibble.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}

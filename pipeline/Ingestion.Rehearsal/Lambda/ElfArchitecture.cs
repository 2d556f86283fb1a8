namespace Ingestion.Rehearsal.Lambda;

/// <summary>Which Lambda architecture an executable was built for, read from its ELF header.</summary>
internal static class ElfArchitecture
{
    private const ushort X86_64 = 62;
    private const ushort Aarch64 = 183;

    /// <summary><c>arm64</c> or <c>x86_64</c> (Lambda's names); null when the file is not an ELF executable of either.</summary>
    public static string? Of(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var stream = File.OpenRead(path))
        {
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return null;
            }
        }

        if (!header[..4].SequenceEqual("\u007fELF"u8))
        {
            return null;
        }

        // e_machine, little-endian at offset 18 (both targets are little-endian).
        return BitConverter.ToUInt16(header[18..]) switch
        {
            Aarch64 => "arm64",
            X86_64 => "x86_64",
            _ => null,
        };
    }
}

using System.Runtime.InteropServices;

namespace Ingestion.Storage.Local.Folder;

/// <summary>
/// Tells a regular file from the other things a folder can hold under a file's name (a FIFO, a socket, a device):
/// opening a FIFO for reading blocks until a writer comes, forever, and no cancellation reaches it.
/// </summary>
/// <remarks>
/// .NET reports pipes, sockets and devices as plain files, so this asks the runtime's own native library
/// (<c>SystemNative_LStat</c>, the call behind <see cref="FileInfo"/> on Unix), whose status layout is the same on
/// every architecture, unlike libc's <c>struct stat</c>. It does not follow a final symbolic link.
/// </remarks>
public static class RegularFiles
{
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int RegularType = 0x8000; // S_IFREG

    /// <summary>Whether <paramref name="path"/> names a regular file (not a folder, link, FIFO, socket or device).</summary>
    public static bool Is(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path);
        }

        try
        {
            return NativeMethods.LStat(path, out var status) == 0 && (status.Mode & FileTypeMask) == RegularType;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return File.Exists(path);
        }
    }

    // The runtime's FileStatus begins with Flags and Mode; the rest is room to spare for what follows them.
    [StructLayout(LayoutKind.Sequential)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public long Rest0, Rest1, Rest2, Rest3, Rest4, Rest5, Rest6, Rest7, Rest8, Rest9, Rest10, Rest11, Rest12, Rest13, Rest14, Rest15;
    }

    private static class NativeMethods
    {
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
    }
}

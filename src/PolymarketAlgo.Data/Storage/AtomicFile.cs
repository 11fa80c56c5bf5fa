namespace PolymarketAlgo.Data;

/// <summary>
/// Whole-file writes that never leave a torn file: the content goes to a temporary file in the same
/// folder, is flushed to disk, then replaces the target with one rename (<see cref="File.Move(string, string, bool)"/>).
/// A crash or a throwing writer leaves the previous file untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files; a kill between write and rename can leave one behind.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>, creating the folder if needed.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole content to the stream it is given; if it throws, the old file stays and the temporary file is deleted.</param>
    /// <param name="cancellationToken">Passed to <paramref name="write"/>; cancelling leaves the old file.</param>
    /// <returns>A task that completes once the new file is in place.</returns>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}

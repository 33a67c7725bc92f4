namespace Minsheng.Cli;

/// <summary>Paths given on a command line, read as the caller meant them.</summary>
internal static class CallerPath
{
    /// <summary>
    /// A relative path as the caller meant it: `dotnet run --project` starts the program in the project's folder,
    /// so relative paths are resolved against the shell's working directory (PWD) when it is known.
    /// </summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) || Environment.GetEnvironmentVariable("PWD") is not { Length: > 0 } pwd ? path : Path.Combine(pwd, path);
}

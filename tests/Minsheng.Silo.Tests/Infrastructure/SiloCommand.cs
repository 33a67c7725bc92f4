using System.Diagnostics;
using System.Text;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>Runs the silo's built entry point as a one-shot command, as a shell would, with the test plans and signing key.</summary>
public static class SiloCommand
{
    /// <summary>The exit code and everything written to standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output)> Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--Minsheng:Seeds=" + RepoPaths.Seeds);
        info.ArgumentList.Add("--Minsheng:Auth:SigningKey=" + Encoding.UTF8.GetString(SiloHost.SigningKey));
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

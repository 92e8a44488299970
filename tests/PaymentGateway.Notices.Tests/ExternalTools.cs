using System.Diagnostics;
using SkiaSharp;

namespace PaymentGateway.Notices.Tests;

/// <summary>
/// The independent Debian tools the tests check our output with (dmtxread, zbarimg, pdftotext, pdftoppm, pdfinfo,
/// pdffonts, qpdf).
/// ./test.sh installs them; without them a test is skipped locally but fails under CI, like [DatabaseFact].
/// </summary>
public static class ExternalTools
{
    public static bool IsInstalled(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    public static string? SkipReason(string[] tools)
    {
        var missing = tools.Where(t => !IsInstalled(t)).ToList();
        return missing.Count > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? $"needs {string.Join(", ", missing)}: run ./test.sh, which installs them"
            : null;
    }

    /// <summary>Runs <paramref name="tool"/>; returns exit code and standard output.</summary>
    public static (int Code, string Output, string Error) Run(string tool, params string[] arguments) =>
        Run(tool, System.Text.Encoding.UTF8, arguments);

    /// <summary>Runs <paramref name="tool"/> reading its output as <paramref name="encoding"/> (dmtxread writes raw Latin-1 bytes).</summary>
    public static (int Code, string Output, string Error) Run(string tool, System.Text.Encoding encoding, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = encoding };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Writes a module matrix as a PNG with a quiet zone (what a scanner would see on paper).</summary>
    public static string WritePng(bool[,] modules, int pixelsPerModule = 6, int quietModules = 4)
    {
        int rows = modules.GetLength(0), columns = modules.GetLength(1);
        using var bitmap = new SKBitmap((columns + (2 * quietModules)) * pixelsPerModule, (rows + (2 * quietModules)) * pixelsPerModule);
        using (var canvas = new SKCanvas(bitmap))
        using (var black = new SKPaint { Color = SKColors.Black })
        {
            canvas.Clear(SKColors.White);
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    if (modules[y, x])
                    {
                        canvas.DrawRect((x + quietModules) * pixelsPerModule, (y + quietModules) * pixelsPerModule, pixelsPerModule, pixelsPerModule, black);
                    }
                }
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"pgw-code-{Guid.NewGuid():N}.png");
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
        return path;
    }
}

/// <summary>A fact that needs external tools: skipped locally when missing, failing under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) => Skip = ExternalTools.SkipReason(tools);
}

/// <summary>A theory that needs external tools: skipped locally when missing, failing under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = ExternalTools.SkipReason(tools);
}

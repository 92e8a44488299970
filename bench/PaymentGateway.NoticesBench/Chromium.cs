using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PaymentGateway.NoticesBench;

/// <summary>
/// A warm headless Chromium driven over the DevTools protocol: one browser, one tab, each notice navigated to as a
/// data: URL and printed with Page.printToPDF — what an HTML-template notice service does after start-up.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _nextId;
    private string _session = "";

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<Chromium> StartAsync(string executable)
    {
        var profile = Directory.CreateTempSubdirectory("pgw-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        _ = process.StandardOutput.ReadToEndAsync();
        var chromium = new Chromium(process, profile);
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr.
        string? url = null;
        while (url is null && await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("DevTools listening on ", StringComparison.Ordinal))
            {
                url = line["DevTools listening on ".Length..].Trim();
            }
        }
        _ = process.StandardError.ReadToEndAsync();
        await chromium._socket.ConnectAsync(new Uri(url ?? throw new InvalidOperationException("chromium printed no DevTools URL")), CancellationToken.None);
        var target = await chromium.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
        var attached = await chromium.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, session: false);
        chromium._session = attached["sessionId"]!.GetValue<string>();
        await chromium.SendAsync("Page.enable", []);
        return chromium;
    }

    /// <summary>Loads <paramref name="html"/> and prints it to an A4 PDF.</summary>
    public async Task<byte[]> PrintAsync(string html)
    {
        var url = "data:text/html;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(html));
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, waitForEvent: "Page.loadEventFired");
        var pdf = await SendAsync("Page.printToPDF", new JsonObject
        {
            ["paperWidth"] = 8.27, ["paperHeight"] = 11.69, ["marginTop"] = 0, ["marginBottom"] = 0, ["marginLeft"] = 0, ["marginRight"] = 0,
            ["printBackground"] = true, ["preferCSSPageSize"] = true,
        });
        return Convert.FromBase64String(pdf["data"]!.GetValue<string>());
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, bool session = true, string? waitForEvent = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session)
        {
            message["sessionId"] = _session;
        }
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        JsonObject? result = null;
        var eventSeen = waitForEvent is null;
        // One request at a time: read until our answer (and the awaited event) arrive; other events are dropped.
        while (result is null || !eventSeen)
        {
            var reply = await ReceiveAsync();
            if (reply["id"]?.GetValue<int>() == id)
            {
                if (reply["error"] is { } error)
                {
                    throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                }
                result = reply["result"]!.AsObject();
            }
            else if (reply["method"]?.GetValue<string>() == waitForEvent)
            {
                eventSeen = true;
            }
        }
        return result;
    }

    private async Task<JsonObject> ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; a leftover temp folder is harmless.
        }
    }
}

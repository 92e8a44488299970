using System.Text.Json;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>
/// Reads a flow saved from pagoPA's FdR REST API as one JSON document: the flow's fields as the API returns them
/// (SingleFlowResponse: <c>fdr</c>, <c>fdrDate</c>, <c>revision</c>, <c>sender</c>, <c>receiver</c>, <c>totPayments</c>,
/// <c>sumPayments</c>, …) plus a <c>payments</c> array of the API's Payment objects. For flows older than the API's
/// 30-day window, kept by the EC or its previous intermediary. Streamed with a fixed buffer: a flow of a million payments
/// never sits in memory, provided its fields come before <c>payments</c> (when they come after, the payments read before
/// them are held until the header is known). Same rules and checks as <see cref="FlussoRiversamentoReader"/>.
/// </summary>
public static class FdrJsonReader
{
    private const int BufferSize = 64 * 1024;

    // The API's names of the header fields FdrJson.Header requires.
    private static readonly string[] HeaderFields = ["fdr", "fdrDate", "regulation", "regulationDate", "sender", "receiver", "totPayments", "sumPayments"];

    /// <summary>Reads <paramref name="stream"/>, calling <paramref name="onRow"/> for each payment in order.</summary>
    /// <param name="stream">The JSON document.</param>
    /// <param name="onRow">Receives each row once the header is known.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="onHeader">Receives the header before the first row (not yet checked against the rows).</param>
    /// <returns>The header, checked against the rows.</returns>
    /// <exception cref="FdrRejectedException">The flow is malformed or inconsistent.</exception>
    public static async Task<FdrHeader> ReadAsync(Stream stream, Func<FdrRow, ValueTask> onRow, CancellationToken cancellationToken,
        Action<FdrHeader>? onHeader = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onRow);
        var parse = new ParseState();
        var buffer = new byte[BufferSize];
        var length = 0;
        FdrHeader? header = null;
        long rows = 0;
        long sum = 0;
        var held = new List<PaymentJson>();

        async ValueTask DeliverAsync(PaymentJson payment)
        {
            var row = FdrJson.Row(payment);
            rows++;
            sum += row.Amount.Cents;
            await onRow(row);
        }

        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // One value larger than the buffer (a huge string): grow rather than fail.
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                length += read;
                var final = read == 0;
                var consumed = Parse(buffer.AsSpan(0, length), final, parse);
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;

                if (header is null && parse.HeaderFields is { } fields)
                {
                    header = FdrJson.Header(fields.Deserialize<FlowJson>(FdrJson.Options)!);
                    onHeader?.Invoke(header);
                    foreach (var early in held)
                    {
                        await DeliverAsync(early);
                    }
                    held.Clear();
                }
                foreach (var payment in parse.Payments)
                {
                    if (header is null)
                    {
                        held.Add(payment);
                    }
                    else
                    {
                        await DeliverAsync(payment);
                    }
                }
                parse.Payments.Clear();
                if (parse.Done)
                {
                    break;
                }
                if (final)
                {
                    throw new FdrRejectedException("the JSON ends before the flow does (truncated file?)");
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (header is null)
            {
                throw new FdrRejectedException("the JSON has no flow fields");
            }
            FlussoRiversamentoReader.CheckTotals(header, rows, sum, "totPayments", "sumPayments");
            return header;
        }
        catch (JsonException e)
        {
            throw new FdrRejectedException($"not valid JSON: {e.Message}");
        }
    }

    private enum Phase
    {
        Start,
        Fields,
        Payments,
    }

    private sealed class ParseState
    {
        public JsonReaderState Reader { get; set; } = new(new JsonReaderOptions { MaxDepth = 16 });

        public Phase Phase { get; set; } = Phase.Start;

        public Dictionary<string, JsonElement> Fields { get; } = new(StringComparer.Ordinal);

        public List<PaymentJson> Payments { get; } = [];

        public bool Done { get; set; }

        /// <summary>The flow's fields once they are all known: when the payments start after them, or at the end.</summary>
        public JsonElement? HeaderFields { get; set; }
    }

    // Consumes whole units (a field with its value, a payment, a bracket) from the buffer and returns how many bytes
    // it used; an incomplete unit at the end is left for the next call, with more bytes.
    private static int Parse(ReadOnlySpan<byte> data, bool final, ParseState s)
    {
        var reader = new Utf8JsonReader(data, final, s.Reader);
        var consumed = 0;
        void Checkpoint(ref Utf8JsonReader r)
        {
            consumed = (int)r.BytesConsumed;
            s.Reader = r.CurrentState;
        }

        while (!s.Done)
        {
            if (!reader.Read())
            {
                break;
            }
            switch (s.Phase)
            {
                case Phase.Start:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new FdrRejectedException($"expected a JSON object (the flow), found {reader.TokenType}");
                    }
                    s.Phase = Phase.Fields;
                    Checkpoint(ref reader);
                    break;
                case Phase.Fields when reader.TokenType == JsonTokenType.EndObject:
                    s.HeaderFields ??= JsonSerializer.SerializeToElement(s.Fields);
                    s.Done = true;
                    Checkpoint(ref reader);
                    break;
                case Phase.Fields:
                    var name = reader.GetString()!;
                    if (name == "payments")
                    {
                        if (!reader.Read())
                        {
                            return consumed;
                        }
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new FdrRejectedException("payments must be an array");
                        }
                        // Fields after the array would belong to the header too: only a complete set is taken now.
                        if (HeaderFields.All(s.Fields.ContainsKey))
                        {
                            s.HeaderFields ??= JsonSerializer.SerializeToElement(s.Fields);
                        }
                        s.Phase = Phase.Payments;
                        Checkpoint(ref reader);
                        break;
                    }
                    var value = reader;
                    if (!value.Read() || !value.TrySkip())
                    {
                        return consumed;
                    }
                    reader.Read();
                    s.Fields[name] = JsonElement.ParseValue(ref reader);
                    Checkpoint(ref reader);
                    break;
                case Phase.Payments when reader.TokenType == JsonTokenType.EndArray:
                    s.Phase = Phase.Fields;
                    Checkpoint(ref reader);
                    break;
                case Phase.Payments:
                    var payment = reader;
                    if (!payment.TrySkip())
                    {
                        return consumed;
                    }
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new FdrRejectedException($"each payment must be a JSON object, found {reader.TokenType}");
                    }
                    s.Payments.Add(JsonSerializer.Deserialize<PaymentJson>(ref reader, FdrJson.Options)!);
                    Checkpoint(ref reader);
                    break;
            }
        }
        return consumed;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using PaymentGateway.Contracts;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Gateway.Hosting;
using PaymentGateway.Gateway.Soap.DemandPaymentNotice;
using PaymentGateway.Gateway.Soap.GetPayment;
using PaymentGateway.Gateway.Soap.SendReceipt;
using PaymentGateway.Gateway.Soap.VerifyPaymentNotice;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Node;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap;

/// <summary>
/// The paForNode SOAP 1.1 endpoint the pagoPA Node calls: <c>POST /soap/paForNode</c>, and the official WSDL at
/// <c>GET /soap/paForNode?wsdl</c>. Business outcomes are answered as <c>outcome=KO</c> + fault bean at HTTP 200;
/// only a request that is not a usable SOAP 1.1 envelope gets a SOAP Fault.
/// </summary>
public static partial class SoapEndpoint
{
    public const string Path = "/soap/paForNode";
    private static readonly Meter Meter = new(GatewayHostingExtensions.MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("pgw.node.call.duration", "s", "Time to answer a Node call");

    public static WebApplicationBuilder AddPaForNode(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<SoapOptions>().Bind(configuration.GetSection(SoapOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NodeAuthOptions>().Bind(configuration.GetSection(NodeAuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NodeCallerAuthorizer>();
        if (configuration.GetSection(NodeAuthOptions.Section).Get<NodeAuthOptions>() is { RequiresClientCertificate: true })
        {
            // Ask every TLS client for a certificate but let the handshake through: NodeCallerAuthorizer judges it
            // against the configured CA or thumbprints, so probes and the WSDL stay reachable without one.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        }
        services.AddSingleton<PositionReader>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<NodeCallStore>();
        services.AddSingleton<StationDirectory>();
        services.AddSingleton<NoticeLookup>();
        services.AddSingleton<VerifyPaymentNoticeHandler>();
        services.AddSingleton<GetPaymentHandler>();
        services.AddSingleton<SendReceiptHandler>();
        services.AddSingleton<SpontaneousServiceStore>();
        services.AddSingleton<IuvCounterStore>();
        services.AddSingleton<PositionBulkWriter>();
        services.AddSingleton<DemandPaymentNoticeHandler>();
        services.AddSingleton<NodeCallJournal>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeCallJournal>());
        return builder;
    }

    public static WebApplication MapPaForNode(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync).DisableAntiforgery();
        app.MapGet(Path, ServeWsdl);
        // The WSDL imports its schemas by relative location; serve them where a client resolving those paths looks.
        app.MapGet("/soap/xsd/paForNode.xsd", () => Results.Stream(PaForNodeSchemas.Open("wsdl/xsd/paForNode.xsd"), "text/xml"));
        app.MapGet("/xsd-common/{file}", (string file) => PaForNodeSchemas.Files.Contains($"xsd-common/{file}")
            ? Results.Stream(PaForNodeSchemas.Open($"xsd-common/{file}"), "text/xml")
            : Results.NotFound());
        return app;
    }

    private static IResult ServeWsdl(HttpContext context, IOptions<GatewayOptions> options)
    {
        if (!context.Request.Query.ContainsKey("wsdl"))
        {
            return Results.Text("paForNode SOAP 1.1 endpoint: POST a SOAP envelope here; the WSDL is at ?wsdl", "text/plain");
        }
        var baseUrl = options.Value.PublicBaseUrl?.ToString().TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host}";
        var wsdl = System.Xml.Linq.XDocument.Load(PaForNodeSchemas.Open("wsdl/paForNode.wsdl"));
        System.Xml.Linq.XNamespace soap = "http://schemas.xmlsoap.org/wsdl/soap/";
        foreach (var address in wsdl.Descendants(soap + "address"))
        {
            address.SetAttributeValue("location", baseUrl + Path);
        }
        return Results.Text(wsdl.Declaration + wsdl.ToString(), "text/xml", Encoding.UTF8);
    }

    private static async Task HandleAsync(HttpContext context, IServiceProvider services, IOptions<SoapOptions> options,
        IOptions<GatewayOptions> gateway, TimeProvider time, NodeCallJournal journal, ILoggerFactory loggers, NodeCallerAuthorizer authorizer)
    {
        var started = Stopwatch.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        var caller = context.Connection.RemoteIpAddress?.ToString();
        if (authorizer.Refuse(context) is { } reason)
        {
            // A refused caller learns nothing: no body is read, no data is returned.
            LogRefused(loggers.CreateLogger(typeof(SoapEndpoint)), caller, reason);
            journal.Record(new NodeCallRecord(receivedAt, "refused", null, null, null, "FAULT", "unauthorised", Micros(started), caller));
            await WriteAsync(context, StatusCodes.Status403Forbidden, SoapResponseWriter.Fault("soap:Client", "caller not authorised"));
            return;
        }
        SoapRequest request;
        try
        {
            request = await SoapEnvelopeReader.ReadAsync(context.Request, options.Value.MaxRequestBytes, context.RequestAborted);
        }
        catch (SoapEnvelopeException e)
        {
            journal.Record(new NodeCallRecord(receivedAt, "unknown", null, null, null, "FAULT", e.FaultCode, Micros(started), caller));
            await WriteAsync(context, e.StatusCode, SoapResponseWriter.Fault(e.FaultCode, e.Message));
            return;
        }

        var operation = request.Operation;
        var deadline = operation.IsReceipt ? options.Value.ReceiptDeadline : options.Value.VerifyDeadline;
        using var timeout = new CancellationTokenSource(deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        NodeOutcome<Action<XmlWriter>> outcome;
        try
        {
            outcome = await AnswerAsync(request, services, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome = new PaaFault(PaaFaultCode.SystemError, $"no answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(loggers.CreateLogger(typeof(SoapEndpoint)), operation.Name, e);
            outcome = new PaaFault(PaaFaultCode.SystemError, "internal error");
        }

        var body = outcome.IsOk
            ? SoapResponseWriter.Ok(operation, outcome.Value)
            : SoapResponseWriter.Ko(operation, outcome.Fault, gateway.Value.BrokerFiscalCode);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Duration.Record(seconds, new KeyValuePair<string, object?>("operation", operation.Name), new KeyValuePair<string, object?>("outcome", outcome.IsOk ? "OK" : outcome.Fault.FaultCode));
        journal.Record(new NodeCallRecord(receivedAt, operation.Name, request.Child("idPA"), NoticeOf(request), request.Child("idStation"),
            outcome.IsOk ? "OK" : "KO", outcome.IsOk ? null : outcome.Fault.FaultCode, Micros(started), caller));
        await WriteAsync(context, StatusCodes.Status200OK, body);
    }

    private static async Task<NodeOutcome<Action<XmlWriter>>> AnswerAsync(SoapRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (request.SchemaError is { } schemaError)
        {
            return new PaaFault(PaaFaultCode.SintassiXsd, schemaError);
        }
        var stations = services.GetRequiredService<StationDirectory>();
        if (await stations.CheckAsync(request.Child("idPA"), request.Child("idBrokerPA"), request.Child("idStation"), cancellationToken) is { } refused)
        {
            return refused;
        }
        var operation = request.Operation;
        if (operation == PaForNodeOperation.VerifyPaymentNotice)
        {
            return await services.GetRequiredService<VerifyPaymentNoticeHandler>().HandleAsync(request, cancellationToken);
        }
        if (operation == PaForNodeOperation.GetPayment || operation == PaForNodeOperation.GetPaymentV2)
        {
            return await services.GetRequiredService<GetPaymentHandler>().HandleAsync(request, operation == PaForNodeOperation.GetPaymentV2, cancellationToken);
        }
        if (operation.IsReceipt)
        {
            return await services.GetRequiredService<SendReceiptHandler>().HandleAsync(request, cancellationToken);
        }
        return await services.GetRequiredService<DemandPaymentNoticeHandler>().HandleAsync(request, cancellationToken);
    }

    private static string? NoticeOf(SoapRequest request) =>
        (request.Payload.Element("qrCode") ?? request.Payload.Element("receipt"))?.Element("noticeNumber")?.Value is { Length: 18 } notice
        && notice.All(char.IsAsciiDigit) ? notice : null;

    private static int Micros(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).Ticks / 10);

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "paForNode call from {Caller} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? caller, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "paForNode {Operation} failed; answered PAA_SYSTEM_ERROR")]
    private static partial void LogFailure(ILogger logger, string operation, Exception exception);
}

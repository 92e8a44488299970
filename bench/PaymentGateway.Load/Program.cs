using PaymentGateway.Load;
using PaymentGateway.Load.Baseline;

// pgw-load baseline --url URL --connection CS     the bare Kestrel + Npgsql endpoints (child process of `node`)
// pgw-load node --gateway URL --connection CS ...  the Node-interface scenarios, baselines and report (bench/run-node.sh)
// pgw-load dossier --gateway URL --connection CS --secret S ...  the dossier's open debts vs the baseline (bench/run-dossier.sh)
// pgw-load probe --target URL --pid PID --scenario verify --connection CS   one scenario, with CPU per request
try
{
    return args switch
    {
        ["baseline", .. var rest] when Arguments.Parse(rest) is var a => await BaselineServer.RunAsync(a.Required("url"), a.Required("connection")),
        ["node", .. var rest] => await NodeInterfaceRun.RunAsync(Arguments.Parse(rest)),
        ["probe", .. var rest] => await ProbeRun.RunAsync(Arguments.Parse(rest)),
        ["dossier", .. var rest] => await DossierRun.RunAsync(Arguments.Parse(rest)),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("pgw-load: " + e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: pgw-load baseline --url http://127.0.0.1:PORT --connection CS
               pgw-load node --gateway http://127.0.0.1:PORT --gateway-pid PID --connection CS --pgbench-tps TPS
                             [--pgbench-command TEXT] [--baseline-port PORT] [--duration 20] [--warmup 3]
                             [--concurrency 32] [--out bench/results/node-interface.md] [--env key=value]...
               pgw-load dossier --gateway http://127.0.0.1:PORT --connection CS --secret HS256_SECRET --issuer ISS --audience AUD
                             [--baseline-port PORT] [--duration 10] [--warmup 2] [--concurrency 32] [--citizens 5000]
                             [--out bench/results/dossier.md] [--env key=value]...
               pgw-load probe --target URL --pid SERVER_PID --connection CS --scenario select|insert|verify|activate|receipt
                             [--duration 10] [--concurrency 32 | --rate CALLS_PER_SECOND]
        """);
    return 2;
}

using PaymentGateway.Tools.Cli;

return await PgwCommand.RunAsync(args, Console.Out, Console.Error);

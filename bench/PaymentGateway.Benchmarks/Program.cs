using BenchmarkDotNet.Running;

// Micro-benchmarks of the code on the Node's hot path and of the domain rules every issued notice goes through.
// Loopback-free and database-free: the load scenarios (bench/PaymentGateway.Load) measure the whole path.
//   dotnet run -c Release --project bench/PaymentGateway.Benchmarks -- --filter '*'            full run
//   dotnet run -c Release --project bench/PaymentGateway.Benchmarks -- --filter '*' --job short a quick look
BenchmarkSwitcher.FromAssembly(typeof(PaymentGateway.Benchmarks.SoapBenchmarks).Assembly).Run(args);


using OmniReport.Cli;

return await CommandLine.RunAsync(args, new Terminal(System.Console.OpenStandardOutput(), System.Console.Error), TimeProvider.System);

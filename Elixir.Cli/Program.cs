using Elixir.Cli;
using Elixir.Cli.Launch;

LauncherWatch.StartIfLaunched(Console.Error);
return CliApp.Run(args, Console.Out, Console.Error);

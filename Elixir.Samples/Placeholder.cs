namespace Elixir.Samples;

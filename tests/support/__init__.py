"""What several test packages (and the benchmarks) share: fixtures' building blocks and helpers."""

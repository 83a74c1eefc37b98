package main

import (
	"context"
	"io"
)

// runBench is implemented by the consolidation work (danvan bench report).
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("bench: not implemented yet")
}

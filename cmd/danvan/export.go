package main

import (
	"context"
	"io"
)

// runExport is implemented by the export work (danvan export report …).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("export: not implemented yet")
}

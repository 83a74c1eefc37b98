package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// keyFile returns the secret held in file name of the data directory dir,
// creating it on first use (32 random bytes, hex-encoded, readable by the
// owner only). Several processes starting at once agree on one key: the
// file appears whole under its name or not at all, and an existing key is
// never replaced. what names the key in errors; a key shorter than minLen
// characters is refused.
func keyFile(dir, name, what string, minLen int) (string, error) {
	path := filepath.Join(dir, name)
	for range 3 {
		b, err := os.ReadFile(path)
		if err == nil {
			k := strings.TrimSpace(string(b))
			if len(k) < minLen {
				return "", fmt.Errorf("%s: %s holds a key shorter than %d characters", what, path, minLen)
			}
			return k, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%s: read key: %w", what, err)
		}
		if err := createKeyFile(dir, path); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%s: create key: %w", what, err)
		}
	}
	return "", fmt.Errorf("%s: cannot read %s", what, path)
}

// createKeyFile writes a new key to path through a finished temporary file
// hard-linked into place (mode 0600).
func createKeyFile(dir, path string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

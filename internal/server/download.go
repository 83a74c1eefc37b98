package server

import (
	"mime"
	"net/http"
	"strconv"
)

// SendFile answers with an uploaded file, for both doors: always as a
// download (never rendered on this origin), with the content type the
// service sniffed from the bytes, no MIME sniffing by the browser, a
// sandboxing policy should it be opened anyway, and no caching by shared
// caches.
func SendFile(w http.ResponseWriter, name, contentType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

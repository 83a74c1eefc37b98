package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFitScalesDownAndKeepsProportions(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 2400, 1200))
	for i := range src.Pix {
		src.Pix[i] = 0xff
	}
	src.Set(10, 10, color.RGBA{200, 0, 0, 255})
	p, err := Fit(encodePNG(t, src), 1200, 1200, 80)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 1200 || p.Height != 600 || p.ContentType != "image/jpeg" {
		t.Fatalf("got %dx%d %s", p.Width, p.Height, p.ContentType)
	}
	m, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil || m.Bounds().Dx() != 1200 {
		t.Fatalf("output does not decode as a 1200-wide JPEG: %v", err)
	}
	// A small picture is not scaled up.
	small, err := Fit(encodePNG(t, image.NewRGBA(image.Rect(0, 0, 40, 30))), 1200, 1200, 80)
	if err != nil || small.Width != 40 || small.Height != 30 {
		t.Fatalf("small: %+v %v", small, err)
	}
	// Fully transparent pixels keep PNG.
	if small.ContentType != "image/png" {
		t.Fatalf("transparent picture became %s", small.ContentType)
	}
}

func TestFitRefuses(t *testing.T) {
	for name, data := range map[string][]byte{
		"html":      []byte("<html><script>alert(1)</script>"),
		"empty":     nil,
		"truncated": []byte("\x89PNG\r\n\x1a\n\x00\x00"),
	} {
		if _, err := Fit(data, 100, 100, 80); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A canvas beyond MaxPixels is refused before decoding its pixels.
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	huge := b.Bytes()
	// Patch the IHDR width and height (bytes 16–23) to 10000 × 10000.
	copy(huge[16:24], []byte{0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29]))
	if _, err := Fit(huge, 100, 100, 80); err != ErrTooLarge {
		t.Fatalf("huge canvas: %v", err)
	}
}

func FuzzFit(f *testing.F) {
	f.Add(encodePNG(f, image.NewRGBA(image.Rect(0, 0, 3, 2))))
	f.Add([]byte("GIF89a"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Fit(data, 64, 64, 80)
		if err != nil {
			return
		}
		if p.Width < 1 || p.Width > 64 || p.Height < 1 || p.Height > 64 || len(p.Data) == 0 {
			t.Fatalf("bad output %dx%d", p.Width, p.Height)
		}
	})
}

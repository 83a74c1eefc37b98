// Package imaging prepares uploaded pictures for the public site: it
// decodes JPEG, PNG, GIF and WebP, drops everything but the pixels (EXIF,
// and with it any GPS position, does not survive), scales the picture
// down to fit a box with a Catmull-Rom filter and encodes it again as
// JPEG (or PNG when it has transparency). Nothing here trusts the file's
// name or declared type.
package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// MaxPixels bounds the decoded size of a picture (a 40-megapixel photo),
// so that a small file cannot claim a huge canvas and exhaust memory.
const MaxPixels = 40_000_000

// ErrNotImage: the bytes are not a picture of a supported format.
var ErrNotImage = errors.New("imaging: not a JPEG, PNG, GIF or WebP picture")

// ErrTooLarge: the picture's declared canvas exceeds MaxPixels.
var ErrTooLarge = errors.New("imaging: picture too large")

// Picture is an encoded picture and its size.
type Picture struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Width, Height int
}

func decoder(data []byte) (func([]byte) (image.Image, error), func([]byte) (image.Config, error)) {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
			func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
			func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
			func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) }
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
			func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
	}
	return nil, nil
}

// Size reads a picture's dimensions without decoding its pixels.
func Size(data []byte) (w, h int, err error) {
	_, cfg := decoder(data)
	if cfg == nil {
		return 0, 0, ErrNotImage
	}
	c, err := cfg(data)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	return c.Width, c.Height, nil
}

// Fit decodes data and returns it re-encoded, scaled down (never up) to fit
// maxW × maxH, keeping its proportions. quality is the JPEG quality (1–100).
func Fit(data []byte, maxW, maxH, quality int) (Picture, error) {
	dec, cfg := decoder(data)
	if dec == nil {
		return Picture{}, ErrNotImage
	}
	c, err := cfg(data)
	if err != nil {
		return Picture{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if c.Width <= 0 || c.Height <= 0 {
		return Picture{}, ErrNotImage
	}
	if int64(c.Width)*int64(c.Height) > MaxPixels {
		return Picture{}, ErrTooLarge
	}
	src, err := dec(data)
	if err != nil {
		return Picture{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if maxW > 0 && w > maxW {
		h, w = max(1, h*maxW/w), maxW
	}
	if maxH > 0 && h > maxH {
		w, h = max(1, w*maxH/h), maxH
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	} else {
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	}
	var out bytes.Buffer
	if opaque(dst) {
		flat := image.NewRGBA(dst.Bounds())
		draw.Draw(flat, flat.Bounds(), &image.Uniform{C: color.White}, image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), dst, image.Point{}, draw.Over)
		if quality < 1 || quality > 100 {
			quality = 82
		}
		if err := jpeg.Encode(&out, flat, &jpeg.Options{Quality: quality}); err != nil {
			return Picture{}, err
		}
		return Picture{Data: out.Bytes(), ContentType: "image/jpeg", Width: w, Height: h}, nil
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, dst); err != nil {
		return Picture{}, err
	}
	return Picture{Data: out.Bytes(), ContentType: "image/png", Width: w, Height: h}, nil
}

// opaque reports whether every pixel is fully opaque.
func opaque(m *image.RGBA) bool {
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0xff {
			return false
		}
	}
	return true
}

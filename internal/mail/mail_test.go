package mail_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/mail"
	"github.com/danvan/danvan/internal/mail/smtptest"
)

// Decode reads a received message back: decoded subject and body.
func Decode(t *testing.T, data []byte) (subject, body string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(strings.TrimRight(string(b), "\r\n"), "\r\n", "\n")
}

const (
	viSubject = "Đôn đốc: báo cáo tháng 3/2026 của Phường Hạc Thành quá hạn"
	viBody    = "Kính gửi đồng chí Trần Minh Đức,\n\nĐề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo công tác dân vận.\nDòng rất dài: " + "ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỷỹỳýỵ đĐ " + "ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỷỹỳýỵ đĐ\n.dòng bắt đầu bằng dấu chấm"
)

func TestSendVietnameseThroughRealSMTP(t *testing.T) {
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s := &mail.Sender{Addr: srv.Addr, From: "Ban Dân vận <no-reply@danvan.example>"}
	if err := s.Send(context.Background(), mail.Message{To: "Trần Minh Đức <duc@example.vn>", Subject: viSubject, Body: viBody}); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	if msgs[0].From != "no-reply@danvan.example" || len(msgs[0].To) != 1 || msgs[0].To[0] != "duc@example.vn" {
		t.Fatalf("envelope %+v", msgs[0])
	}
	subj, body := Decode(t, msgs[0].Data)
	if subj != viSubject {
		t.Errorf("subject %q, want %q", subj, viSubject)
	}
	if body != viBody {
		t.Errorf("body\n%q\nwant\n%q", body, viBody)
	}
	for _, line := range strings.Split(string(msgs[0].Data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line longer than RFC 5322 allows: %d", len(line))
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Fatalf("raw 8-bit byte in message: %q", line)
			}
		}
	}
	m, _ := netmail.ReadMessage(bytes.NewReader(msgs[0].Data))
	from, err := m.Header.AddressList("From")
	if err != nil || from[0].Name != "Ban Dân vận" {
		t.Errorf("From %v %v", from, err)
	}
}

func TestSendWithPlainAuth(t *testing.T) {
	srv, err := smtptest.StartAuth(map[string]string{"danvan": "bí mật"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	msg := mail.Message{To: "a@example.vn", Subject: "Thử", Body: "Xin chào"}
	bad := &mail.Sender{Addr: srv.Addr, From: "x@example.vn", Username: "danvan", Password: "sai"}
	if err := bad.Send(ctx, msg); err == nil {
		t.Fatal("wrong password accepted")
	}
	good := &mail.Sender{Addr: srv.Addr, From: "x@example.vn", Username: "danvan", Password: "bí mật"}
	if err := good.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if ms := srv.Messages(); len(ms) != 1 || ms[0].Auth != "danvan" {
		t.Fatalf("messages %+v", ms)
	}
}

func TestSendFailsWhenServerDown(t *testing.T) {
	srv, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr
	srv.Close()
	s := &mail.Sender{Addr: addr, From: "x@example.vn", Timeout: 2 * time.Second}
	if err := s.Send(context.Background(), mail.Message{To: "a@example.vn", Subject: "s", Body: "b"}); err == nil {
		t.Fatal("no error from a closed port")
	}
	var nilSender *mail.Sender
	if err := nilSender.Send(context.Background(), mail.Message{}); err != mail.ErrDisabled {
		t.Fatalf("nil sender: %v", err)
	}
}

func TestBytesRejectsBadAddress(t *testing.T) {
	if _, err := (mail.Message{From: "x@example.vn", To: "not an address"}).Bytes(time.Now()); err == nil {
		t.Fatal("bad address accepted")
	}
}

func FuzzMessageBytes(f *testing.F) {
	f.Add("Tiêu đề", "Nội dung\n.dòng")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, subject, body string) {
		b, err := mail.Message{From: "a@example.vn", To: "b@example.vn", Subject: subject, Body: body}.Bytes(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := netmail.ReadMessage(bytes.NewReader(b)); err != nil {
			t.Fatalf("unreadable: %v", err)
		}
	})
}

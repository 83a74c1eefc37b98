package config

import (
	"testing"
	"time"
)

func TestLocation(t *testing.T) {
	c := Default()
	loc, err := c.Location()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 17, 30, 0, 0, time.UTC)
	if got := at.In(loc).Format("15:04"); got != "00:30" {
		t.Errorf("default zone shows %s for 17:30 UTC, want 00:30 (UTC+7)", got)
	}
	c.TimeZone = "Asia/Tokyo"
	if loc, err = c.Location(); err != nil {
		t.Fatal(err)
	}
	if got := at.In(loc).Format("15:04"); got != "02:30" {
		t.Errorf("Asia/Tokyo shows %s, want 02:30", got)
	}
	c.TimeZone = "Mars/Olympus"
	if err := c.Validate(); err == nil {
		t.Error("an unknown zone was accepted")
	}
}

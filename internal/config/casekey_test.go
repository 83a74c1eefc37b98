package config

import "testing"

func TestCaseKey(t *testing.T) {
	t.Setenv("DANVAN_CASE_KEY", "short")
	c := Default()
	if err := c.FromEnv(); err != nil {
		t.Fatal(err)
	}
	if c.CaseKey != "short" || c.Validate() == nil {
		t.Fatalf("a short DANVAN_CASE_KEY passed: %q", c.CaseKey)
	}
	t.Setenv("DANVAN_CASE_KEY", "a-case-key-of-at-least-32-characters")
	c = Default()
	if err := c.FromEnv(); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

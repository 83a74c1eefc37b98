// Package org owns the organisation tree: units with kinds, parents,
// official codes, validity dates and successor links (merge, split), so that
// any question can be asked "as of" a date; and the parsing of the official
// administrative-unit files that feed it.
package org

import (
	"errors"
	"fmt"
	"time"
)

// Kind is what sort of body a unit is.
type Kind string

const (
	KindProvince         Kind = "province"
	KindPartyCommittee   Kind = "party_committee"
	KindPartyCommission  Kind = "party_commission"
	KindPartyOrgan       Kind = "party_organ"
	KindStateAgency      Kind = "state_agency"
	KindPeoplesCommittee Kind = "peoples_committee"
	KindPeoplesCouncil   Kind = "peoples_council"
	KindDepartment       Kind = "department"
	KindFatherlandFront  Kind = "fatherland_front"
	KindMassOrg          Kind = "mass_org"
	KindDistrict         Kind = "district"
	KindTown             Kind = "town"
	KindCity             Kind = "city"
	KindCommune          Kind = "commune"
	KindWard             Kind = "ward"
	KindTownship         Kind = "township" // thị trấn: a commune-level town, abolished in 2025
	KindSpecialZone      Kind = "special_zone"
)

// Kinds lists every kind, in the order the interface offers them.
var Kinds = []Kind{
	KindProvince, KindPartyCommittee, KindPartyCommission, KindPartyOrgan,
	KindPeoplesCouncil, KindPeoplesCommittee, KindDepartment, KindStateAgency,
	KindFatherlandFront, KindMassOrg, KindCity, KindTown, KindDistrict,
	KindWard, KindTownship, KindCommune, KindSpecialZone,
}

// ParseKind accepts a kind's code.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown unit kind %q", s)
}

// KindFromVietnamese maps the "type" column of the official lists.
func KindFromVietnamese(s string) (Kind, bool) {
	switch s {
	case "Xã":
		return KindCommune, true
	case "Phường":
		return KindWard, true
	case "Thị trấn":
		return KindTownship, true
	case "Đặc khu":
		return KindSpecialZone, true
	case "Huyện":
		return KindDistrict, true
	case "Thị xã":
		return KindTown, true
	case "Thành phố":
		return KindCity, true
	case "Tỉnh":
		return KindProvince, true
	}
	return "", false
}

// DateLayout is how legal dates are written and stored.
const DateLayout = "2006-01-02"

// Unit is one body in the tree.
type Unit struct {
	ID        int64  `json:"id"`
	Code      string `json:"code,omitempty"`
	Kind      Kind   `json:"kind"`
	Name      string `json:"name"`
	ParentID  int64  `json:"parent_id,omitempty"`
	Remote    bool   `json:"remote"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to,omitempty"`
	SortKey   int    `json:"-"`
	// Depth is filled by tree queries (root = 0).
	Depth int `json:"depth,omitempty"`
}

// ValidOn reports whether the unit exists on date d (YYYY-MM-DD).
func (u Unit) ValidOn(d string) bool {
	return u.ValidFrom <= d && (u.ValidTo == "" || u.ValidTo >= d)
}

// Successor links a unit that ended to one that continues it.
type Successor struct {
	PredecessorID int64  `json:"predecessor_id"`
	SuccessorID   int64  `json:"successor_id"`
	Kind          string `json:"kind"`    // merge, split, rename
	Portion       string `json:"portion"` // full, partial
	Effective     string `json:"effective"`
	// Name of the other unit, filled by queries for display.
	OtherName string `json:"other_name,omitempty"`
	OtherCode string `json:"other_code,omitempty"`
}

// Validation errors carry a message key for translation.
var (
	ErrNameRequired = errors.New("unit.name_required")
	ErrBadDate      = errors.New("unit.bad_date")
	ErrBadRange     = errors.New("unit.bad_range")
)

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	if u.Name == "" {
		return ErrNameRequired
	}
	if _, err := ParseKind(string(u.Kind)); err != nil {
		return err
	}
	if _, err := time.Parse(DateLayout, u.ValidFrom); err != nil {
		return ErrBadDate
	}
	if u.ValidTo != "" {
		if _, err := time.Parse(DateLayout, u.ValidTo); err != nil {
			return ErrBadDate
		}
		if u.ValidTo < u.ValidFrom {
			return ErrBadRange
		}
	}
	return nil
}

// ParseDate validates a YYYY-MM-DD date.
func ParseDate(s string) (string, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return "", ErrBadDate
	}
	return t.Format(DateLayout), nil
}

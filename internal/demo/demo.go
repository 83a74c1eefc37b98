// Package demo loads the Thanh Hóa demonstration data: the provincial
// bodies named in directive 1470-CV/TU, the pre-reform districts and
// communes (valid until 30 Jun 2025), the 166 communes and wards since
// 1 Jul 2025 with successor links, one account for each role, and the work
// of a province in progress — the directive and its plans, a year of
// periodic reports, inspections and urges, a year of citizen cases with
// dialogues and mediation — dated back from the store
// clock's today. It also says whether a database holds only the demo, so
// that `danvan demo --reset` may wipe it.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

//go:embed data
var dataFS embed.FS

// Dates of the 2025 reorganisation (Resolution 60-NQ/TW; Resolution 1686/NQ-UBTVQH15).
const (
	Start        = "2000-01-01" // validity start used for bodies whose founding date the demo does not track
	ReformDay    = "2025-07-01"
	BeforeReform = "2025-06-30"
	// DepartmentsReform is when provincial departments and party commissions merged (early 2025).
	DepartmentsReform = "2025-03-01"
	beforeDepts       = "2025-02-28"
	ProvinceCode      = "P38"
)

// Password is the demo accounts' password, shown on the sign-in page only in demo mode.
const Password = "danvan-demo-2026"

// Account is one demo login.
type Account struct {
	Username string
	FullName string
	Role     authz.Role
	UnitCode string // where the role is granted
}

// Accounts lists the demo logins, one per role.
var Accounts = []Account{
	{"admin", "Quản trị hệ thống", authz.RoleAdmin, ProvinceCode},
	{"dieuphoi", "Lê Thị Hương (Ban Tuyên giáo và Dân vận)", authz.RoleCoordinator, ProvinceCode},
	{"lanhdao", "Nguyễn Văn Thành (Ban Thường vụ Tỉnh ủy)", authz.RoleLeader, ProvinceCode},
	{"truongdonvi", "Trần Minh Đức (Chủ tịch UBND phường Hạc Thành)", authz.RoleUnitHead, "14797"},
	{"canbo", "Phạm Thu Trang (phường Hạc Thành)", authz.RoleUnitOfficer, "14797"},
	{"xulydon", "Hoàng Văn Nam (tiếp công dân, phường Hạc Thành)", authz.RoleCaseHandler, "14797"},
	{"thanhtra", "Vũ Thị Lan (Ủy ban Kiểm tra Tỉnh ủy)", authz.RoleInspector, ProvinceCode},
	{"daibieu", "Đỗ Quang Huy (HĐND tỉnh)", authz.RoleCouncilMember, ProvinceCode},
	{"congdan", "Bùi Thị Mai", authz.RoleCitizen, ProvinceCode},
}

// Mountainous districts of Thanh Hóa: their communes are flagged remote for
// the longer legal deadlines (an approximation for the demo; the official
// list of difficult areas is data an installation maintains).
var mountainous = map[string]bool{
	"Huyện Mường Lát": true, "Huyện Quan Sơn": true, "Huyện Quan Hóa": true, "Huyện Bá Thước": true,
	"Huyện Lang Chánh": true, "Huyện Thường Xuân": true, "Huyện Như Xuân": true, "Huyện Như Thanh": true,
	"Huyện Cẩm Thủy": true, "Huyện Ngọc Lặc": true, "Huyện Thạch Thành": true,
}

type body struct {
	code, name string
	kind       org.Kind
	parent     string
	from, to   string
	sort       int
	succeeds   []string // codes of the bodies this one continues
}

// bodies are the provincial organisations addressed by 1470-CV/TU. Codes
// are local (not official statistical codes).
var bodies = []body{
	{ProvinceCode, "Tỉnh Thanh Hóa", org.KindProvince, "", Start, "", 0, nil},
	{"TU", "Tỉnh ủy Thanh Hóa", org.KindPartyCommittee, ProvinceCode, Start, "", 1, nil},
	{"TU-BTV", "Ban Thường vụ Tỉnh ủy", org.KindPartyOrgan, "TU", Start, "", 1, nil},
	{"TU-VP", "Văn phòng Tỉnh ủy", org.KindPartyOrgan, "TU", Start, "", 2, nil},
	{"TU-BDV", "Ban Dân vận Tỉnh ủy", org.KindPartyCommission, "TU", Start, beforeDepts, 3, nil},
	{"TU-BTG", "Ban Tuyên giáo Tỉnh ủy", org.KindPartyCommission, "TU", Start, beforeDepts, 4, nil},
	{"TU-BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy", org.KindPartyCommission, "TU", DepartmentsReform, "", 3, []string{"TU-BDV", "TU-BTG"}},
	{"TU-BTC", "Ban Tổ chức Tỉnh ủy", org.KindPartyCommission, "TU", Start, "", 5, nil},
	{"TU-UBKT", "Ủy ban Kiểm tra Tỉnh ủy", org.KindPartyCommission, "TU", Start, "", 6, nil},
	{"TU-BNC", "Ban Nội chính Tỉnh ủy", org.KindPartyCommission, "TU", Start, "", 7, nil},
	{"HDND", "Hội đồng nhân dân tỉnh", org.KindPeoplesCouncil, ProvinceCode, Start, "", 2, nil},
	{"UBND", "Ủy ban nhân dân tỉnh", org.KindPeoplesCommittee, ProvinceCode, Start, "", 3, nil},
	{"UBND-VP", "Văn phòng UBND tỉnh", org.KindStateAgency, "UBND", Start, "", 1, nil},
	{"S-NV-OLD", "Sở Nội vụ", org.KindDepartment, "UBND", Start, beforeDepts, 2, nil},
	{"S-LDTBXH", "Sở Lao động - Thương binh và Xã hội", org.KindDepartment, "UBND", Start, beforeDepts, 3, nil},
	{"S-NV", "Sở Nội vụ", org.KindDepartment, "UBND", DepartmentsReform, "", 2, []string{"S-NV-OLD", "S-LDTBXH"}},
	{"S-TP", "Sở Tư pháp", org.KindDepartment, "UBND", Start, "", 4, nil},
	{"S-TC-OLD", "Sở Tài chính", org.KindDepartment, "UBND", Start, beforeDepts, 5, nil},
	{"S-KHDT", "Sở Kế hoạch và Đầu tư", org.KindDepartment, "UBND", Start, beforeDepts, 6, nil},
	{"S-TC", "Sở Tài chính", org.KindDepartment, "UBND", DepartmentsReform, "", 5, []string{"S-TC-OLD", "S-KHDT"}},
	{"S-NNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", org.KindDepartment, "UBND", Start, beforeDepts, 7, nil},
	{"S-TNMT", "Sở Tài nguyên và Môi trường", org.KindDepartment, "UBND", Start, beforeDepts, 8, nil},
	{"S-NNMT", "Sở Nông nghiệp và Môi trường", org.KindDepartment, "UBND", DepartmentsReform, "", 7, []string{"S-NNPTNT", "S-TNMT"}},
	{"S-YT", "Sở Y tế", org.KindDepartment, "UBND", Start, "", 9, nil},
	{"S-GDDT", "Sở Giáo dục và Đào tạo", org.KindDepartment, "UBND", Start, "", 10, nil},
	{"S-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", org.KindDepartment, "UBND", Start, "", 11, nil},
	{"BDT", "Ban Dân tộc tỉnh", org.KindDepartment, "UBND", Start, beforeDepts, 12, nil},
	{"S-DTTG", "Sở Dân tộc và Tôn giáo", org.KindDepartment, "UBND", DepartmentsReform, "", 12, []string{"BDT"}},
	{"TTT", "Thanh tra tỉnh", org.KindStateAgency, "UBND", Start, "", 13, nil},
	{"MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", org.KindFatherlandFront, ProvinceCode, Start, "", 4, nil},
	{"HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", org.KindMassOrg, "MTTQ", Start, "", 1, nil},
	{"TD", "Tỉnh đoàn Thanh Hóa", org.KindMassOrg, "MTTQ", Start, "", 2, nil},
	{"HND", "Hội Nông dân tỉnh", org.KindMassOrg, "MTTQ", Start, "", 3, nil},
	{"HCCB", "Hội Cựu chiến binh tỉnh", org.KindMassOrg, "MTTQ", Start, "", 4, nil},
	{"LDLD", "Liên đoàn Lao động tỉnh", org.KindMassOrg, "MTTQ", Start, "", 5, nil},
	{"BAO", "Báo Thanh Hóa", org.KindStateAgency, ProvinceCode, Start, "", 5, nil},
	{"DAI", "Đài Phát thanh và Truyền hình Thanh Hóa", org.KindStateAgency, ProvinceCode, Start, "", 6, nil},
}

// featureLoaders add each capability's demo data, in this order, after the
// organisation and accounts exist. A new capability's demo is one more entry.
var featureLoaders = []func(ctx context.Context, s *store.Store) error{
	loadProgramme,
	loadReports,
	loadFollowup,  // urges name the reports
	loadRegisters, // numbers the received reports
	loadCases,     // citizen cases, dialogues, mediation
	loadReception,
	loadNews,
	loadModels, // "Dân vận khéo" models of 2021–2023
	loadConsultations,
	loadDisclosures,
}

// Loaded reports whether the database already holds the demo.
func Loaded(ctx context.Context, s *store.Store) bool {
	_, err := s.UnitByCode(ctx, ProvinceCode, ReformDay)
	return err == nil
}

// Load fills an empty database with the demo. It is not idempotent: call
// Inspect first.
func Load(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	var rows []org.ImportRow
	for i, b := range bodies {
		rows = append(rows, org.ImportRow{Line: i + 1, Code: b.code, Name: b.name, Kind: b.kind, ParentCode: b.parent, ValidFrom: b.from, ValidTo: b.to})
	}
	if _, err := s.ImportUnits(ctx, a, rows); err != nil {
		return fmt.Errorf("demo bodies: %w", err)
	}
	// Bodies: sort keys and successor links.
	for _, b := range bodies {
		u, err := s.UnitByCode(ctx, b.code, b.from)
		if err != nil {
			return err
		}
		if b.sort != 0 {
			u.SortKey = b.sort
			if err := s.UpdateUnit(ctx, a, &u); err != nil {
				return err
			}
		}
		for _, old := range b.succeeds {
			o, err := s.UnitByCode(ctx, old, beforeDepts)
			if err != nil {
				return err
			}
			if err := s.AddSuccessor(ctx, a, org.Successor{PredecessorID: o.ID, SuccessorID: u.ID, Kind: "merge", Portion: "full", Effective: b.from}); err != nil {
				return err
			}
		}
	}
	// Before the reform: 26 district-level units and their 549 communes.
	old, err := dataFS.ReadFile("data/thanhhoa-units-2025-03-01.csv")
	if err != nil {
		return err
	}
	oldRows, err := org.ParseCSV(bytes.NewReader(old), org.ImportOptions{ValidFrom: Start, ValidTo: BeforeReform, ParentCode: ProvinceCode})
	if err != nil {
		return fmt.Errorf("demo districts: %w", err)
	}
	remoteDistrict := map[string]bool{}
	for i := range oldRows {
		r := &oldRows[i]
		if r.Kind == org.KindDistrict || r.Kind == org.KindTown || r.Kind == org.KindCity {
			r.ParentCode = ProvinceCode
			if mountainous[r.Name] {
				remoteDistrict[r.Code] = true
			}
			continue
		}
		r.Remote = remoteDistrict[r.ParentCode]
	}
	if _, err := s.ImportUnits(ctx, a, oldRows); err != nil {
		return fmt.Errorf("demo districts: %w", err)
	}
	// Since the reform: 166 communes and wards straight under the province.
	nat, err := dataFS.ReadFile("data/vn-communes-2025-07-01.csv")
	if err != nil {
		return err
	}
	newRows, err := org.ParseCSV(bytes.NewReader(nat), org.ImportOptions{ValidFrom: ReformDay, Province: "38", ParentCode: ProvinceCode})
	if err != nil {
		return fmt.Errorf("demo communes: %w", err)
	}
	mj, err := dataFS.ReadFile("data/thanhhoa-merges-2025-07-01.json")
	if err != nil {
		return err
	}
	merges, err := org.ParseMergesJSON(bytes.NewReader(mj))
	if err != nil {
		return err
	}
	// A new commune is remote when every commune it was formed from was.
	oldRemote := map[string]bool{}
	for _, r := range oldRows {
		oldRemote[r.Code] = r.Remote
	}
	newRemote := map[string]bool{}
	for _, m := range merges {
		all := len(m.From) > 0
		for _, f := range m.From {
			all = all && oldRemote[f.OldCode]
		}
		newRemote[m.NewCode] = all
	}
	for i := range newRows {
		newRows[i].Remote = newRemote[newRows[i].Code]
	}
	if _, err := s.ImportUnits(ctx, a, newRows); err != nil {
		return fmt.Errorf("demo communes: %w", err)
	}
	if _, err := s.ImportMerges(ctx, a, merges, ReformDay, BeforeReform); err != nil {
		return fmt.Errorf("demo merges: %w", err)
	}
	// One commune-level Party committee (directly under the provincial
	// one since the reform), so that a commune Party body reports too.
	if _, err := s.ImportUnits(ctx, a, []org.ImportRow{{Line: 1, Code: WardPartyCode, Name: "Đảng ủy phường Hàm Rồng",
		Kind: org.KindPartyCommittee, ParentCode: "TU", ValidFrom: ReformDay}}); err != nil {
		return fmt.Errorf("demo ward Party committee: %w", err)
	}
	// One account per role.
	hash, err := account.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, acc := range Accounts {
		u := account.User{Username: acc.Username, FullName: acc.FullName, PasswordHash: hash, Email: acc.Username + "@demo.danvan.invalid"}
		if err := s.CreateUser(ctx, a, &u); err != nil {
			return fmt.Errorf("demo user %s: %w", acc.Username, err)
		}
		unit, err := s.UnitByCode(ctx, acc.UnitCode, ReformDay)
		if err != nil {
			return fmt.Errorf("demo grant %s: %w", acc.Username, err)
		}
		if err := s.AddGrant(ctx, a, u.ID, acc.Role, unit.ID); err != nil {
			return err
		}
	}
	for _, f := range featureLoaders {
		if err := f(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

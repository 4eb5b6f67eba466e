package frames

import "testing"

func TestIndexAndKnown(t *testing.T) {
	all := All()
	if len(all) != Count || Count != 10 {
		t.Fatalf("taxonomy has 10 frames, got %d", len(all))
	}
	for i, id := range all {
		if Index(id) != i || !Known(id) {
			t.Errorf("Index(%q) = %d, want %d", id, Index(id), i)
		}
	}
	for _, bad := range []string{"", "Hybrid-Attack", "hybrid_attack", "security"} {
		if Known(bad) {
			t.Errorf("Known(%q) = true", bad)
		}
	}
	all[0] = "changed"
	if All()[0] != "hybrid-attack" {
		t.Error("All must return a copy")
	}
	if err := Validate([]string{"legality", "nope"}); err == nil {
		t.Error("Validate accepted an unknown id")
	}
}

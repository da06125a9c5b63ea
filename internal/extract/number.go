package extract

import (
	"strconv"
	"strings"
)

// numberWordValue returns the value of a number written in digits ("1,500")
// or words ("six", "twenty-three", "a dozen"), or -1.
func numberWordValue(w string) int {
	w = strings.ToLower(strings.TrimSpace(w))
	if w == "" {
		return -1
	}
	if w[0] >= '0' && w[0] <= '9' {
		n, err := strconv.Atoi(strings.ReplaceAll(w, ",", ""))
		if err != nil {
			return -1
		}
		return n
	}
	small := map[string]int{
		"zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "both": 2, "three": 3, "four": 4,
		"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
		"twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
		"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
		"hundred": 100, "a hundred": 100, "couple": 2, "a couple": 2, "a dozen": 12,
		"dozens": 24, "scores": 40, "hundreds": 200,
	}
	if n, ok := small[w]; ok {
		return n
	}
	if a, b, ok := strings.Cut(w, "-"); ok {
		x, y := small[a], small[b]
		if x >= 20 && y > 0 && y < 10 {
			return x + y
		}
	}
	return -1
}

// isNumberWord reports whether w starts a count ("six", "23", "dozens").
func isNumberWord(w string) bool { return numberWordValue(w) >= 0 }

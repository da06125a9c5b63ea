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
	if n, ok := smallNumber(w); ok {
		return n
	}
	if a, b, ok := strings.Cut(w, "-"); ok {
		x, _ := smallNumber(a)
		y, _ := smallNumber(b)
		if x >= 20 && y > 0 && y < 10 {
			return x + y
		}
	}
	return -1
}

// smallNumber reads number words. A switch, not a map: it runs for every
// word of every sentence that reports an event.
func smallNumber(w string) (int, bool) {
	switch w {
	case "zero", "no":
		return 0, true
	case "one", "a", "an", "single":
		return 1, true
	case "two", "both", "couple", "a couple":
		return 2, true
	case "three":
		return 3, true
	case "four":
		return 4, true
	case "five":
		return 5, true
	case "six":
		return 6, true
	case "seven":
		return 7, true
	case "eight":
		return 8, true
	case "nine":
		return 9, true
	case "ten":
		return 10, true
	case "eleven":
		return 11, true
	case "twelve", "dozen", "a dozen":
		return 12, true
	case "thirteen":
		return 13, true
	case "fourteen":
		return 14, true
	case "fifteen":
		return 15, true
	case "sixteen":
		return 16, true
	case "seventeen":
		return 17, true
	case "eighteen":
		return 18, true
	case "nineteen":
		return 19, true
	case "twenty":
		return 20, true
	case "dozens":
		return 12, true // ACLED codes vague figures at their floor: dozens 12, tens 10, hundreds 100
	case "tens":
		return 10, true
	case "thirty":
		return 30, true
	case "forty":
		return 40, true
	case "scores":
		return 20, true
	case "fifty":
		return 50, true
	case "sixty":
		return 60, true
	case "seventy":
		return 70, true
	case "eighty":
		return 80, true
	case "ninety":
		return 90, true
	case "hundred", "a hundred":
		return 100, true
	case "hundreds":
		return 100, true
	}
	return 0, false
}

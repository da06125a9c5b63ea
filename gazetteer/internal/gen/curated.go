package main

// countryExtras lists, per ISO alpha-2 code, the name reporters use when it
// differs from i18n-iso-countries' English name, further alternates and
// abbreviations, and demonyms/adjectives (plural forms are added by the
// generator). Format: CC|common name|alternates;...|demonyms;...
// Written for this project from general knowledge.
const countryExtras = `
AF|Afghanistan|Islamic Emirate of Afghanistan|Afghan
AL|Albania||Albanian
DZ|Algeria||Algerian
AO|Angola||Angolan
AR|Argentina||Argentine;Argentinian;Argentinean
AM|Armenia||Armenian
AU|Australia||Australian
AT|Austria||Austrian
AZ|Azerbaijan||Azerbaijani;Azeri
BH|Bahrain||Bahraini
BD|Bangladesh||Bangladeshi
BY|Belarus|Byelorussia;Belorussia|Belarusian;Belarussian
BE|Belgium||Belgian
BJ|Benin||Beninese
BT|Bhutan||Bhutanese
BO|Bolivia||Bolivian
BA|Bosnia and Herzegovina|Bosnia;Bosnia-Herzegovina;BiH|Bosnian
BW|Botswana||Motswana;Batswana
BR|Brazil||Brazilian
BN|Brunei|Brunei Darussalam|Bruneian
BG|Bulgaria||Bulgarian
BF|Burkina Faso|Burkina|Burkinabe;Burkinabé
BI|Burundi||Burundian
KH|Cambodia|Kampuchea|Cambodian
CM|Cameroon||Cameroonian
CA|Canada||Canadian
CV|Cape Verde|Cabo Verde|Cape Verdean
CF|Central African Republic|CAR;C.A.R.|Central African
TD|Chad||Chadian
CL|Chile||Chilean
CN|China|PRC;P.R.C.;Mainland China|Chinese
CO|Colombia||Colombian
KM|Comoros||Comorian
CG|Republic of the Congo|Congo-Brazzaville;Congo Brazzaville;Republic of Congo;Congo Republic|Congolese
CD|Democratic Republic of the Congo|DRC;D.R.C.;DR Congo;D.R. Congo;DRCongo;Congo-Kinshasa;Congo Kinshasa;Democratic Republic of Congo;Zaire|Congolese
CR|Costa Rica||Costa Rican
CI|Ivory Coast|Cote d'Ivoire;Côte d’Ivoire|Ivorian
HR|Croatia||Croatian;Croat
CU|Cuba||Cuban
CY|Cyprus||Cypriot
CZ|Czechia|Czech Republic|Czech
DK|Denmark||Danish;Dane
DJ|Djibouti||Djiboutian
DO|Dominican Republic||Dominican
EC|Ecuador||Ecuadorian;Ecuadorean
EG|Egypt||Egyptian
SV|El Salvador||Salvadoran;Salvadorean
GQ|Equatorial Guinea||Equatoguinean;Equatorial Guinean
ER|Eritrea||Eritrean
EE|Estonia||Estonian
SZ|Eswatini|Swaziland|Swazi;Liswati
ET|Ethiopia|Abyssinia|Ethiopian
FJ|Fiji||Fijian
FI|Finland||Finnish;Finn
FR|France|French Republic|French;Frenchman;Frenchwoman
GA|Gabon||Gabonese
GM|The Gambia|Gambia|Gambian
GE|Georgia|Sakartvelo|Georgian
DE|Germany|Federal Republic of Germany|German
GH|Ghana||Ghanaian
GR|Greece|Hellas|Greek
GT|Guatemala||Guatemalan
GN|Guinea|Guinea-Conakry|Guinean
GW|Guinea-Bissau|Guinea Bissau|Bissau-Guinean
GY|Guyana||Guyanese
HT|Haiti||Haitian
HN|Honduras||Honduran
HK|Hong Kong||Hongkonger
HU|Hungary||Hungarian
IS|Iceland||Icelandic;Icelander
IN|India|Bharat|Indian
ID|Indonesia||Indonesian
IR|Iran|Persia;Islamic Republic of Iran|Iranian;Persian
IQ|Iraq||Iraqi
IE|Ireland|Eire;Republic of Ireland|Irish
IL|Israel||Israeli
IT|Italy||Italian
JM|Jamaica||Jamaican
JP|Japan||Japanese
JO|Jordan|Hashemite Kingdom of Jordan|Jordanian
KZ|Kazakhstan||Kazakh;Kazakhstani
KE|Kenya||Kenyan
KP|North Korea|DPRK;D.P.R.K.;Democratic People's Republic of Korea|North Korean
KR|South Korea|ROK;Republic of Korea;Korea|South Korean;Korean
KW|Kuwait||Kuwaiti
KG|Kyrgyzstan|Kirghizia;Kyrgyz Republic|Kyrgyz;Kirghiz
LA|Laos|Lao PDR|Laotian;Lao
LV|Latvia||Latvian
LB|Lebanon||Lebanese
LS|Lesotho||Basotho;Mosotho
LR|Liberia||Liberian
LY|Libya||Libyan
LT|Lithuania||Lithuanian
LU|Luxembourg||Luxembourgish;Luxembourger
MO|Macau|Macao|Macanese
MG|Madagascar||Malagasy
MW|Malawi||Malawian
MY|Malaysia||Malaysian
MV|Maldives||Maldivian
ML|Mali||Malian
MT|Malta||Maltese
MR|Mauritania||Mauritanian
MU|Mauritius||Mauritian
MX|Mexico||Mexican
MD|Moldova|Moldavia|Moldovan
MN|Mongolia||Mongolian
ME|Montenegro||Montenegrin
MA|Morocco||Moroccan
MZ|Mozambique||Mozambican
MM|Myanmar|Burma|Burmese;Myanmarese
NA|Namibia||Namibian
NP|Nepal||Nepali;Nepalese
NL|Netherlands|Holland|Dutch
NZ|New Zealand|Aotearoa|New Zealander
NI|Nicaragua||Nicaraguan
NE|Niger||Nigerien
NG|Nigeria||Nigerian
MK|North Macedonia|Macedonia;FYROM|Macedonian
NO|Norway||Norwegian
OM|Oman||Omani
PK|Pakistan||Pakistani
PS|Palestine|Palestinian Territories;Occupied Palestinian Territory;State of Palestine|Palestinian
PA|Panama||Panamanian
PG|Papua New Guinea|PNG|Papua New Guinean
PY|Paraguay||Paraguayan
PE|Peru||Peruvian
PH|Philippines|the Philippines|Filipino;Philippine
PL|Poland||Polish;Pole
PT|Portugal||Portuguese
PR|Puerto Rico||Puerto Rican
QA|Qatar||Qatari
RO|Romania||Romanian
RU|Russia|Russian Federation|Russian
RW|Rwanda||Rwandan
SA|Saudi Arabia|KSA;Kingdom of Saudi Arabia|Saudi;Saudi Arabian
SN|Senegal||Senegalese
RS|Serbia||Serbian;Serb
SL|Sierra Leone||Sierra Leonean
SG|Singapore||Singaporean
SK|Slovakia||Slovak;Slovakian
SI|Slovenia||Slovenian;Slovene
SO|Somalia||Somali
ZA|South Africa|RSA|South African
SS|South Sudan||South Sudanese
ES|Spain||Spanish;Spaniard
LK|Sri Lanka|Ceylon|Sri Lankan
SD|Sudan||Sudanese
SR|Suriname||Surinamese
SE|Sweden||Swedish;Swede
CH|Switzerland||Swiss
SY|Syria|Syrian Arab Republic|Syrian
TW|Taiwan|Republic of China|Taiwanese
TJ|Tajikistan||Tajik;Tajikistani
TZ|Tanzania|United Republic of Tanzania|Tanzanian
TH|Thailand|Siam|Thai
TL|East Timor|Timor-Leste|Timorese
TG|Togo||Togolese
TT|Trinidad and Tobago|Trinidad|Trinidadian
TN|Tunisia||Tunisian
TR|Turkey|Türkiye;Turkiye|Turkish;Turk
TM|Turkmenistan||Turkmen
UG|Uganda||Ugandan
UA|Ukraine|the Ukraine|Ukrainian
AE|United Arab Emirates|UAE;U.A.E.;Emirates|Emirati
GB|United Kingdom|UK;U.K.;Britain;Great Britain;United Kingdom of Great Britain and Northern Ireland|British;Briton
US|United States|US;U.S.;USA;U.S.A.;United States of America;America;the States|American
UY|Uruguay||Uruguayan
UZ|Uzbekistan||Uzbek;Uzbekistani
VE|Venezuela||Venezuelan
VN|Vietnam|Viet Nam|Vietnamese
EH|Western Sahara||Sahrawi;Sahraoui
YE|Yemen||Yemeni
ZM|Zambia||Zambian
ZW|Zimbabwe||Zimbabwean
XK|Kosovo||Kosovar;Kosovan
`

// regions are continents and large regions that news text names. GeoNames
// ids are given where GeoNames has the continent; points are approximate
// geographic centres, bounds rough boxes. Format:
// id|geonameid|name|alternates;...|demonyms;...|lat|lon|minlon,minlat,maxlon,maxlat
const regions = `
africa|6255146|Africa||African|7.19|21.09|-25.4,-34.9,63.5,37.6
asia|6255147|Asia||Asian|29.84|89.3|25,-11,180,81.9
europe|6255148|Europe||European|48.69|9.14|-31.3,34.5,69.1,81.9
north-america|6255149|North America||North American|46.07|-100.55|-168,7,-52,83.7
south-america|6255150|South America||South American|-14.6|-57.66|-81.4,-56,-34.8,12.5
oceania|6255151|Oceania|Australasia|Oceanian|-18.31|138.52|110,-50,180,20
antarctica|6255152|Antarctica||Antarctic|-78.16|16.41|-180,-90,180,-60
middle-east|0|Middle East|Mideast;Near East|Middle Eastern|29.3|42.5|25,12,63.3,42
central-asia|0|Central Asia||Central Asian|43.5|66|46.5,35.1,87.3,55.4
south-asia|0|South Asia|Indian subcontinent|South Asian|23|78|60.5,5.9,97.4,37.1
southeast-asia|0|Southeast Asia|South-East Asia;South East Asia|Southeast Asian|6|113|92.2,-11,141,28.5
east-asia|0|East Asia||East Asian|35|115|73.5,18,146,53.6
latin-america|0|Latin America||Latin American|-4|-66|-118.4,-56,-34.8,32.7
central-america|0|Central America||Central American|13.5|-86|-92.3,7.2,-77.2,18.5
caribbean|0|Caribbean|the Caribbean;West Indies|Caribbean|17|-72|-85,10,-59.4,27.3
west-africa|0|West Africa||West African|12|-4|-17.6,4.3,16,25
east-africa|0|East Africa||East African|1|37|28.8,-11.8,51.4,18
central-africa|0|Central Africa||Central African|2|20|8.5,-13.5,31.3,23.5
north-africa|0|North Africa||North African|27|15|-17.1,15,36.9,37.5
southern-africa|0|Southern Africa||Southern African|-24|25|11.7,-34.9,40.9,-8.2
horn-of-africa|0|Horn of Africa||East African|8|44|33,-1.7,51.4,18
sahel|0|Sahel||Sahelian|15|5|-17.5,11,38.5,20
maghreb|0|Maghreb|Maghrib|Maghrebi|31|2|-17.1,19,25.2,37.5
levant|0|Levant||Levantine|33.5|36.5|32.3,29.5,42.4,37.3
balkans|0|Balkans|Balkan Peninsula;Western Balkans|Balkan|43|21|13.4,36.4,29.6,46.5
caucasus|0|Caucasus|Caucasia;North Caucasus;South Caucasus||42.3|44.5|37,38.4,50.4,45.3
kurdistan|0|Kurdistan||Kurdish|37|43.5|37.5,34,48,39.5
darfur|0|Darfur||Darfuri|13.5|24.5|21.8,9.3,27.9,20.1
donbas|0|Donbas|Donbass;Donets Basin||48.2|38.5|36.5,46.8,40.3,50.1
kashmir|0|Kashmir|Jammu and Kashmir region|Kashmiri|34.5|75.5|72.5,32.3,80.3,37.1
sinai|0|Sinai|Sinai Peninsula||29.5|33.8|32.3,27.7,34.9,31.3
scandinavia|0|Scandinavia||Scandinavian|63|15|4.6,55.3,31.6,71.2
`

// admin1Abbrevs are abbreviations news agencies use for first-level
// divisions (AP style for US states, Canadian and Australian usage),
// indexed as codes. Format: GeoNames admin1 code|abbreviation;...
const admin1Abbrevs = `
US.AL|Ala.
US.AZ|Ariz.
US.AR|Ark.
US.CA|Calif.
US.CO|Colo.
US.CT|Conn.
US.DE|Del.
US.FL|Fla.
US.GA|Ga.
US.IL|Ill.
US.IN|Ind.
US.KS|Kan.;Kans.
US.KY|Ky.
US.LA|La.
US.MD|Md.
US.MA|Mass.
US.MI|Mich.
US.MN|Minn.
US.MS|Miss.
US.MO|Mo.
US.MT|Mont.
US.NE|Neb.;Nebr.
US.NV|Nev.
US.NH|N.H.
US.NJ|N.J.
US.NM|N.M.
US.NY|N.Y.
US.NC|N.C.
US.ND|N.D.
US.OK|Okla.
US.OR|Ore.;Oreg.
US.PA|Pa.;Penn.
US.RI|R.I.
US.SC|S.C.
US.SD|S.D.
US.TN|Tenn.
US.TX|Tex.
US.VT|Vt.
US.VA|Va.
US.WA|Wash.
US.WV|W.Va.;W.V.
US.WI|Wis.;Wisc.
US.WY|Wyo.
US.DC|D.C.
CA.01|Alta.
CA.02|B.C.
CA.03|Man.
CA.04|N.B.
CA.05|N.L.;Nfld.
CA.07|N.S.
CA.08|Ont.
CA.09|P.E.I.
CA.10|Que.;Qc.
CA.11|Sask.
AU.02|NSW;N.S.W.
AU.04|Qld;Qld.
AU.05|S.A.
AU.06|Tas.
AU.07|Vic.
AU.08|W.A.
AU.03|N.T.
AU.01|ACT;A.C.T.
`

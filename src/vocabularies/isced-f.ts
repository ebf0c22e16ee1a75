/**
 * ISCED-F 2013 (UNESCO UIS), fields of education and training: 2-digit broad, 3-digit narrow
 * and 4-digit detailed fields. Besides the named fields, the classification codes the
 * residual categories by rule: a narrow or detailed code ending in 0 is "not further defined"
 * (e.g. 060, 0610), a detailed code ending in 9 "not elsewhere classified" (e.g. 0619); each
 * broad field has inter-disciplinary programmes in x8/xx88 (e.g. 068, 0688). ELM URI:
 * http://data.europa.eu/snb/isced-f/{code}.
 */
const NAMED: ReadonlyArray<readonly [string, string]> = [
  ['00', 'Generic programmes and qualifications'],
  ['001', 'Basic programmes and qualifications'],
  ['0011', 'Basic programmes and qualifications'],
  ['002', 'Literacy and numeracy'],
  ['0021', 'Literacy and numeracy'],
  ['003', 'Personal skills and development'],
  ['0031', 'Personal skills and development'],
  ['01', 'Education'],
  ['011', 'Education'],
  ['0111', 'Education science'],
  ['0112', 'Training for pre-school teachers'],
  ['0113', 'Teacher training without subject specialisation'],
  ['0114', 'Teacher training with subject specialisation'],
  ['02', 'Arts and humanities'],
  ['021', 'Arts'],
  ['0211', 'Audio-visual techniques and media production'],
  ['0212', 'Fashion, interior and industrial design'],
  ['0213', 'Fine arts'],
  ['0214', 'Handicrafts'],
  ['0215', 'Music and performing arts'],
  ['022', 'Humanities (except languages)'],
  ['0221', 'Religion and theology'],
  ['0222', 'History and archaeology'],
  ['0223', 'Philosophy and ethics'],
  ['023', 'Languages'],
  ['0231', 'Language acquisition'],
  ['0232', 'Literature and linguistics'],
  ['03', 'Social sciences, journalism and information'],
  ['031', 'Social and behavioural sciences'],
  ['0311', 'Economics'],
  ['0312', 'Political sciences and civics'],
  ['0313', 'Psychology'],
  ['0314', 'Sociology and cultural studies'],
  ['032', 'Journalism and information'],
  ['0321', 'Journalism and reporting'],
  ['0322', 'Library, information and archival studies'],
  ['04', 'Business, administration and law'],
  ['041', 'Business and administration'],
  ['0411', 'Accounting and taxation'],
  ['0412', 'Finance, banking and insurance'],
  ['0413', 'Management and administration'],
  ['0414', 'Marketing and advertising'],
  ['0415', 'Secretarial and office work'],
  ['0416', 'Wholesale and retail sales'],
  ['0417', 'Work skills'],
  ['042', 'Law'],
  ['0421', 'Law'],
  ['05', 'Natural sciences, mathematics and statistics'],
  ['051', 'Biological and related sciences'],
  ['0511', 'Biology'],
  ['0512', 'Biochemistry'],
  ['052', 'Environment'],
  ['0521', 'Environmental sciences'],
  ['0522', 'Natural environments and wildlife'],
  ['053', 'Physical sciences'],
  ['0531', 'Chemistry'],
  ['0532', 'Earth sciences'],
  ['0533', 'Physics'],
  ['054', 'Mathematics and statistics'],
  ['0541', 'Mathematics'],
  ['0542', 'Statistics'],
  ['06', 'Information and Communication Technologies (ICTs)'],
  ['061', 'Information and Communication Technologies (ICTs)'],
  ['0611', 'Computer use'],
  ['0612', 'Database and network design and administration'],
  ['0613', 'Software and applications development and analysis'],
  ['07', 'Engineering, manufacturing and construction'],
  ['071', 'Engineering and engineering trades'],
  ['0711', 'Chemical engineering and processes'],
  ['0712', 'Environmental protection technology'],
  ['0713', 'Electricity and energy'],
  ['0714', 'Electronics and automation'],
  ['0715', 'Mechanics and metal trades'],
  ['0716', 'Motor vehicles, ships and aircraft'],
  ['072', 'Manufacturing and processing'],
  ['0721', 'Food processing'],
  ['0722', 'Materials (glass, paper, plastic and wood)'],
  ['0723', 'Textiles (clothes, footwear and leather)'],
  ['0724', 'Mining and extraction'],
  ['073', 'Architecture and construction'],
  ['0731', 'Architecture and town planning'],
  ['0732', 'Building and civil engineering'],
  ['08', 'Agriculture, forestry, fisheries and veterinary'],
  ['081', 'Agriculture'],
  ['0811', 'Crop and livestock production'],
  ['0812', 'Horticulture'],
  ['082', 'Forestry'],
  ['0821', 'Forestry'],
  ['083', 'Fisheries'],
  ['0831', 'Fisheries'],
  ['084', 'Veterinary'],
  ['0841', 'Veterinary'],
  ['09', 'Health and welfare'],
  ['091', 'Health'],
  ['0911', 'Dental studies'],
  ['0912', 'Medicine'],
  ['0913', 'Nursing and midwifery'],
  ['0914', 'Medical diagnostic and treatment technology'],
  ['0915', 'Therapy and rehabilitation'],
  ['0916', 'Pharmacy'],
  ['0917', 'Traditional and complementary medicine and therapy'],
  ['092', 'Welfare'],
  ['0921', 'Care of the elderly and of disabled adults'],
  ['0922', 'Child care and youth services'],
  ['0923', 'Social work and counselling'],
  ['10', 'Services'],
  ['101', 'Personal services'],
  ['1011', 'Domestic services'],
  ['1012', 'Hair and beauty services'],
  ['1013', 'Hotel, restaurants and catering'],
  ['1014', 'Sports'],
  ['1015', 'Travel, tourism and leisure'],
  ['102', 'Hygiene and occupational health services'],
  ['1021', 'Community sanitation'],
  ['1022', 'Occupational health and safety'],
  ['103', 'Security services'],
  ['1031', 'Military and defence'],
  ['1032', 'Protection of persons and property'],
  ['104', 'Transport services'],
  ['1041', 'Transport services'],
  ['99', 'Field unknown'],
  ['999', 'Field unknown'],
  ['9999', 'Field unknown'],
]

function residualFields(): Array<readonly [string, string]> {
  const named = new Map(NAMED)
  const residual: Array<readonly [string, string]> = []
  for (const [broad, label] of NAMED) {
    if (broad.length !== 2 || broad === '99') continue
    residual.push([`${broad}0`, `${label} not further defined`])
    if (broad !== '00') {
      residual.push([`${broad}8`, `Inter-disciplinary programmes and qualifications involving ${label.toLowerCase()}`])
      residual.push([`${broad}88`, `Inter-disciplinary programmes and qualifications involving ${label.toLowerCase()}`])
    }
    for (const [narrow, narrowLabel] of NAMED) {
      if (narrow.length !== 3 || !narrow.startsWith(broad)) continue
      residual.push([`${narrow}0`, `${narrowLabel} not further defined`])
      residual.push([`${narrow}9`, `${narrowLabel} not elsewhere classified`])
    }
  }
  return residual.filter(([code]) => !named.has(code))
}

/** Every ISCED-F 2013 code with its English label. */
export const ISCED_F_FIELDS: ReadonlyMap<string, string> = new Map([...NAMED, ...residualFields()])

export function isIscedField(code: string): boolean {
  return ISCED_F_FIELDS.has(code)
}

/** The code and the broader fields containing it: `0613` → `06`, `061`, `0613`. */
export function iscedAncestors(code: string): string[] {
  const ancestors: string[] = []
  for (let length = 2; length <= code.length; length++) ancestors.push(code.slice(0, length))
  return ancestors
}

export const ISCED_F_URI = 'http://data.europa.eu/snb/isced-f/'

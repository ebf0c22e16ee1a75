import type { AllianceInput, InstitutionInput } from '../modules/registry/index.js'

/**
 * A demo registry: real European Universities alliances with a handful of their members.
 * Names and codes are given as the institutions publish them; demo data, not a reference.
 */
export const DEMO_INSTITUTIONS: Array<InstitutionInput & { schac: string }> = [
  { schac: 'unibo.it', name: { it: 'Alma Mater Studiorum – Università di Bologna', en: 'University of Bologna' }, country: 'IT', website: 'https://www.unibo.it', erasmusCode: 'I BOLOGNA01' },
  { schac: 'kuleuven.be', name: { nl: 'KU Leuven', en: 'KU Leuven' }, country: 'BE', website: 'https://www.kuleuven.be', erasmusCode: 'B LEUVEN01' },
  { schac: 'fu-berlin.de', name: { de: 'Freie Universität Berlin', en: 'Free University of Berlin' }, country: 'DE', website: 'https://www.fu-berlin.de', erasmusCode: 'D BERLIN01' },
  { schac: 'helsinki.fi', name: { fi: 'Helsingin yliopisto', sv: 'Helsingfors universitet', en: 'University of Helsinki' }, country: 'FI', website: 'https://www.helsinki.fi', erasmusCode: 'SF HELSINK01' },
  { schac: 'uj.edu.pl', name: { pl: 'Uniwersytet Jagielloński', en: 'Jagiellonian University' }, country: 'PL', website: 'https://www.uj.edu.pl', erasmusCode: 'PL KRAKOW01' },
  { schac: 'ucm.es', name: { es: 'Universidad Complutense de Madrid', en: 'Complutense University of Madrid' }, country: 'ES', website: 'https://www.ucm.es', erasmusCode: 'E MADRID03' },
  { schac: 'uni-tuebingen.de', name: { de: 'Eberhard Karls Universität Tübingen', en: 'University of Tübingen' }, country: 'DE', website: 'https://uni-tuebingen.de', erasmusCode: 'D TUBINGE01' },
  { schac: 'ulb.be', name: { fr: 'Université libre de Bruxelles', en: 'Free University of Brussels' }, country: 'BE', website: 'https://www.ulb.be', erasmusCode: 'B BRUXEL04' },
  { schac: 'uniroma1.it', name: { it: 'Sapienza Università di Roma', en: 'Sapienza University of Rome' }, country: 'IT', website: 'https://www.uniroma1.it', erasmusCode: 'I ROMA01' },
  { schac: 'uam.es', name: { es: 'Universidad Autónoma de Madrid', en: 'Autonomous University of Madrid' }, country: 'ES', website: 'https://www.uam.es', erasmusCode: 'E MADRID04' },
  { schac: 'univ-amu.fr', name: { fr: 'Aix-Marseille Université', en: 'Aix-Marseille University' }, country: 'FR', website: 'https://www.univ-amu.fr' },
  { schac: 'su.se', name: { sv: 'Stockholms universitet', en: 'Stockholm University' }, country: 'SE', website: 'https://www.su.se', erasmusCode: 'S STOCKHO01' },
  { schac: 'utwente.nl', name: { nl: 'Universiteit Twente', en: 'University of Twente' }, country: 'NL', website: 'https://www.utwente.nl', erasmusCode: 'NL ENSCHED01' },
  { schac: 'aau.dk', name: { da: 'Aalborg Universitet', en: 'Aalborg University' }, country: 'DK', website: 'https://www.aau.dk', erasmusCode: 'DK AALBORG01' },
  { schac: 'tuni.fi', name: { fi: 'Tampereen yliopisto', en: 'Tampere University' }, country: 'FI', website: 'https://www.tuni.fi' },
  { schac: 'ktu.edu', name: { lt: 'Kauno technologijos universitetas', en: 'Kaunas University of Technology' }, country: 'LT', website: 'https://ktu.edu' },
  { schac: 'maastrichtuniversity.nl', name: { nl: 'Universiteit Maastricht', en: 'Maastricht University' }, country: 'NL', website: 'https://www.maastrichtuniversity.nl', erasmusCode: 'NL MAASTRI01' },
  { schac: 'uantwerpen.be', name: { nl: 'Universiteit Antwerpen', en: 'University of Antwerp' }, country: 'BE', website: 'https://www.uantwerpen.be', erasmusCode: 'B ANTWERP01' },
  { schac: 'uc3m.es', name: { es: 'Universidad Carlos III de Madrid', en: 'Carlos III University of Madrid' }, country: 'ES', website: 'https://www.uc3m.es', erasmusCode: 'E MADRID14' },
  { schac: 'uni-bremen.de', name: { de: 'Universität Bremen', en: 'University of Bremen' }, country: 'DE', website: 'https://www.uni-bremen.de', erasmusCode: 'D BREMEN01' },
  { schac: 'uni-koeln.de', name: { de: 'Universität zu Köln', en: 'University of Cologne' }, country: 'DE', website: 'https://www.uni-koeln.de', erasmusCode: 'D KOLN01' },
  { schac: 'unifi.it', name: { it: 'Università degli Studi di Firenze', en: 'University of Florence' }, country: 'IT', website: 'https://www.unifi.it', erasmusCode: 'I FIRENZE01' },
  { schac: 'leidenuniv.nl', name: { nl: 'Universiteit Leiden', en: 'Leiden University' }, country: 'NL', website: 'https://www.universiteitleiden.nl', erasmusCode: 'NL LEIDEN01' },
  { schac: 'lnu.se', name: { sv: 'Linnéuniversitetet', en: 'Linnaeus University' }, country: 'SE', website: 'https://lnu.se' },
]

/** Leiden University left EUniWell in 2023; it is a member of Una Europa. */
export const DEMO_ALLIANCES: Array<AllianceInput & { slug: string }> = [
  { slug: 'una-europa', name: 'Una Europa', website: 'https://www.una-europa.eu', members: ['unibo.it', 'kuleuven.be', 'fu-berlin.de', 'helsinki.fi', 'uj.edu.pl', 'ucm.es', 'leidenuniv.nl'] },
  { slug: 'civis', name: 'CIVIS – A European Civic University', website: 'https://civis.eu', members: ['uni-tuebingen.de', 'ulb.be', 'uniroma1.it', 'uam.es', 'univ-amu.fr', 'su.se'] },
  { slug: 'eciu', name: 'ECIU University', website: 'https://www.eciu.eu', members: ['utwente.nl', 'aau.dk', 'tuni.fi', 'ktu.edu'] },
  { slug: 'yufe', name: 'YUFE – Young Universities for the Future of Europe', website: 'https://yufe.eu', members: ['maastrichtuniversity.nl', 'uantwerpen.be', 'uc3m.es', 'uni-bremen.de'] },
  { slug: 'euniwell', name: 'EUniWell – European University for Well-Being', website: 'https://www.euniwell.eu', members: ['uni-koeln.de', 'unifi.it', 'lnu.se'] },
]

/** One demo key per role, so every kind of caller can be tried from the docs page. */
export const DEMO_CLIENTS = [
  { role: 'operator (registry:admin)', institution: null, name: 'Demo operator', scopes: ['registry:admin' as const] },
  { role: 'unibo.it catalogue sync (catalogue:write)', institution: 'unibo.it', name: 'Demo catalogue sync', scopes: ['catalogue:write' as const] },
  {
    role: 'kuleuven.be registrar (recognition:write, :read)',
    institution: 'kuleuven.be',
    name: 'Demo recognition office',
    scopes: ['recognition:write' as const, 'recognition:read' as const],
  },
]

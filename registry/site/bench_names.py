"""Names for `seed_bench`: first and family names from many cultures (accents and non-Latin scripts included),
so search, normalisation and trigram indexes meet the spread of a real union's membership."""

FIRST_NAMES = """
Ana María José Luis Carmen Javier Lucía Sofía Mateo Valentina Diego Camila Alejandro Isabela Andrés
Emma Olivia Liam Noah Ava Mia Ethan Harper Lucas Amelia Mason Evelyn Logan Abigail Elijah Emily James
Taylor Lauren Mitchell Jordan Morgan Casey Riley Avery Quinn Jamie Alex Sam Charlie Robin
Kofi Ama Kwame Abena Yaw Akosua Chidi Ngozi Emeka Adaeze Oluwaseun Folake Tunde Zainab Amara Kwabena
Aarav Priya Rohan Ananya Vikram Kavya Arjun Diya Sanjay Lakshmi Ishaan Meera Rahul Aditi Nikhil
Wei Li Mei Jun Hui Xin Yan Hao Ling Chen Zhi Lan Yu Fang Qing
Yuki Haruto Sakura Ren Aoi Sota Hina Kaito Yui Riku Mio Hiroshi Akiko Kenji Emi
Minjun Seoyeon Jiwoo Hayoon Doyun Jiho Subin Yejin Hyun Eunji
Mohammed Fatima Omar Aisha Youssef Layla Karim Nour Hassan Mariam Ali Salma Tariq Yasmin Amir
Olga Dmitri Natalia Sergei Anastasia Ivan Tatiana Mikhail Ekaterina Alexei
Zoë Chloé Léa Hélène Amélie Raphaël Maël Noémie Gaëlle Loïc Anaïs Benoît Cécile Jérôme Éloïse
Søren Åsa Björn Ingrid Lærke Mikkel Sigrún Þór Elín Jónas
Łukasz Małgorzata Paweł Zofia Wojciech Agnieszka Jiří Lenka Tomáš Zuzana
Niamh Siobhán Seán Aoife Oisín Caoimhe Ciarán Róisín
Mariana João Gonçalo Inês Beatriz Tiago Leonor Rodrigo
Nguyễn Thảo Minh Linh Huy Trang Anh Dũng
Ayşe Mehmet Elif Emre Zeynep Burak Çağla Gökhan
Kalani Leilani Mana Ikaika Tane Aroha Manaia Wiremu Moana
Dmytro Oksana Bohdan Yaryna Zoltán Réka Ágnes Gábor
""".split()

LAST_NAMES = """
Reyes García Martínez Rodríguez López Hernández González Pérez Sánchez Ramírez Torres Flores Rivera
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin
Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker
Mensah Owusu Boateng Asante Osei Adjei Okafor Okonkwo Adeyemi Balogun Nwosu Eze Abubakar Diallo Traoré
Sharma Patel Singh Gupta Kumar Reddy Iyer Nair Menon Chatterjee Banerjee Mukherjee Desai Joshi
Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo
Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada
Kim Park Choi Jung Kang Cho Yoon Jang Lim Han
Haddad Khalil Nasser Mansour Farouk Saleh Hamdan Aziz Rahman Hussain Qureshi Siddiqui
Ivanov Petrova Smirnov Kuznetsova Popov Volkova Sokolov Lebedeva Morozov Novikova
Dubois Lefèvre Moreau Girard Bonnet François Mercier Lambert Fontaine Rousseau Chevalier Bézier
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Köhler Zimmermann
Jørgensen Nielsen Sørensen Andersson Johansson Lindqvist Öberg Åkesson Guðmundsdóttir Þórsson
Nowak Kowalski Wiśniewski Wójcik Kamińska Lewandowski Dvořák Novák Černý Svoboda
Murphy Kelly O'Brien Ó Súilleabháin Mac Giolla Byrne Ryan O'Connor Nic Dhonnchadha
Silva Santos Oliveira Souza Costa Pereira Carvalho Gonçalves Araújo Magalhães
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Võ
Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın
Kahananui Keawe Ngata Parata Tūhoe Walker-Ngata
Shevchenko Kovalenko Bondarenko Tkachenko Nagy Kovács Szabó Tóth
""".split()

# A few members use one word, a stage name or a name in their own script.
STAGE_NAMES = """
Zendaya Björk Rosalía Shakira Adele Seal Sade Rihanna Cher Madonna Drake Lizzo Stromae Burna
王菲 周杰伦 宇多田ヒカル 이민호 Αλέξης Μαρία Δημήτρης Ελένη Борис Алина Дарья Арсений نور كريم
""".split()

ORG_WORDS = """
Acme Nimbus Apex Bright Cedar Delta Ember Fable Granite Harbor Indigo Juniper Kestrel Lumen Meridian
Northwind Orchid Pioneer Quartz Riverstone Saffron Tidal Umbra Vertex Willow Xenon Yarrow Zephyr
Atlas Beacon Cobalt Drift Echo Fjord Gilded Halcyon Iris Jade Kinetic Lattice Mosaic Nova Onyx Prism
""".split()
ORG_NOUNS = """
Apparel Media Studios Cosmetics Beverages Motors Games Audio Pictures Sports Foods Labs Pharma Retail
Records Travel Fashion Electronics Interactive Agency Digital Creative Network Broadcasting Publishing
""".split()
ORG_SUFFIXES = ["", " Ltd", " Inc", " GmbH", " S.A.", " AB", " KK", " Pty", " LLC", " & Co"]
